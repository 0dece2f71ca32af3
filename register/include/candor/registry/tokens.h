// Bearer tokens: how a submitter proves which organisation (and role) it acts for.
//
// A token is "candor_" followed by the unpadded base64url of 32 random bytes (OpenSSL
// RAND_bytes): 50 characters, 256 bits of secret. The register stores only its SHA-256
// (store.h, Token::hash), so a copy of the database grants nothing; the secret is shown once,
// when `candor token create` makes it. Whoever checks a presented token hashes it and looks the
// hash up; the lookup result is then compared again in constant time (CRYPTO_memcmp), so the
// answer never depends on how many leading bytes of a guess were right.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "candor/registry/merkle.h"
#include "candor/registry/store.h"

namespace candor::registry {

inline constexpr std::string_view kTokenPrefix = "candor_";

// A fresh token. Throws std::runtime_error if the system has no randomness to give.
std::string generate_token();

// SHA-256 of the token text exactly as presented (no trimming).
Hash token_hash(std::string_view token);

// Whether `text` has the shape of a token (prefix, then 43 base64url characters). Presented
// values that do not are refused before any lookup.
bool is_token_syntax(std::string_view text);

// Constant-time equality of two hashes (CRYPTO_memcmp).
bool hashes_equal(const Hash& a, const Hash& b);

// The stored token a presented secret proves, or nullopt when the secret is malformed, unknown
// or revoked (callers answer all three alike, so a prober learns nothing). Store failures throw.
std::optional<Token> authenticate(Store& store, std::string_view presented);

}  // namespace candor::registry

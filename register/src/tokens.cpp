#include "candor/registry/tokens.h"

#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include <array>
#include <stdexcept>

namespace candor::registry {

namespace {

constexpr std::size_t k_secret_bytes = 32;
constexpr std::size_t k_encoded_chars = 43;  // ceil(32 * 8 / 6), unpadded
constexpr std::string_view k_alphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

std::string base64url(const std::array<unsigned char, k_secret_bytes>& bytes) {
  std::string out;
  std::size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    const unsigned v = (unsigned{bytes[i]} << 16) | (unsigned{bytes[i + 1]} << 8) | bytes[i + 2];
    out += k_alphabet[(v >> 18) & 63];
    out += k_alphabet[(v >> 12) & 63];
    out += k_alphabet[(v >> 6) & 63];
    out += k_alphabet[v & 63];
  }
  // 32 = 30 + 2: two bytes left, three characters.
  const unsigned v = (unsigned{bytes[i]} << 16) | (unsigned{bytes[i + 1]} << 8);
  out += k_alphabet[(v >> 18) & 63];
  out += k_alphabet[(v >> 12) & 63];
  out += k_alphabet[(v >> 6) & 63];
  return out;
}

}  // namespace

std::string generate_token() {
  std::array<unsigned char, k_secret_bytes> secret{};
  if (RAND_bytes(secret.data(), static_cast<int>(secret.size())) != 1) {
    throw std::runtime_error("the system's random number generator failed");
  }
  std::string token = std::string(kTokenPrefix) + base64url(secret);
  OPENSSL_cleanse(secret.data(), secret.size());
  return token;
}

Hash token_hash(std::string_view token) {
  Hash h{};
  SHA256(reinterpret_cast<const unsigned char*>(token.data()), token.size(), h.data());
  return h;
}

bool is_token_syntax(std::string_view text) {
  if (!text.starts_with(kTokenPrefix)) return false;
  const std::string_view rest = text.substr(kTokenPrefix.size());
  if (rest.size() != k_encoded_chars) return false;
  for (const char c : rest) {
    if (k_alphabet.find(c) == std::string_view::npos) return false;
  }
  return true;
}

bool hashes_equal(const Hash& a, const Hash& b) {
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::optional<Token> authenticate(Store& store, std::string_view presented) {
  if (!is_token_syntax(presented)) return std::nullopt;
  const Hash hash = token_hash(presented);
  auto token = store.token(hash);
  // The lookup is by hash; comparing the stored hash again in constant time keeps the decision
  // itself free of early exits, whatever the backend's index does.
  if (!token || !hashes_equal(token->hash, hash) || token->revoked) return std::nullopt;
  return token;
}

}  // namespace candor::registry

// C2SP signed notes (c2sp.org/signed-note) with Ed25519 keys in the text formats of Go's
// golang.org/x/mod/sumdb/note, so our checkpoints verify with Go, sigsum and witness tooling.
//
//   <text, ending in "\n">          A note: text, a blank line, one or more signature lines.
//   "\n"                            Each signature line is U+2014 (em dash), space, key name,
//   — <key name> <base64(id ‖ sig)> space, base64 of the 4-byte big-endian key ID followed by the
//                                   signature of the text (64 bytes for Ed25519).
//
// Keys (all names: non-empty, valid UTF-8, no Unicode space, no '+'):
//   verifier  <name>+<key ID, 8 lowercase hex>+<base64(0x01 ‖ 32-byte public key)>
//   signer    PRIVATE+KEY+<name>+<key ID>+<base64(0x01 ‖ 32-byte seed)>      (a secret!)
//   key ID  = first 4 bytes, big-endian, of SHA-256(name ‖ "\n" ‖ 0x01 ‖ public key)
//
// Trust rules of open_note: a signature counts only when both its key name and key ID match a
// key the caller trusts; every such signature is verified and one bad one rejects the note (a
// known key never signs garbage); signatures by other keys are ignored and handed back (witness
// cosignatures, rotated keys); at least one trusted signature must verify. Hostile input never
// throws: parse and open return a Result whose Problem says what is wrong and, where it can, on
// which line of the note. Limits: 1 MiB and 100 signature lines per note (the spec asks verifiers
// to accept at least 16; 100 is Go's limit).
//
// Signing with OpenSSL's pure Ed25519 (RFC 8032, no pre-hash) is deterministic, so a key made
// from a fixed seed reproduces a note byte for byte (the known-answer test in docs/log-format.md).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "candor/registry/problem.h"

struct evp_pkey_st;  // OpenSSL's EVP_PKEY, kept out of this header

namespace candor::registry {

inline constexpr std::size_t kMaxNoteBytes = std::size_t{1} << 20;
inline constexpr std::size_t kMaxNoteSignatures = 100;
inline constexpr std::uint8_t kEd25519SignatureType = 0x01;

// ---- Encodings shared by the C2SP formats ----------------------------------------------------

// RFC 4648 §4 base64 with padding. Decoding is strict: no whitespace, padding required, and the
// unused bits of the last character must be zero, so each byte string has one text form.
std::string base64_encode(std::span<const std::uint8_t> bytes);
std::optional<std::vector<std::uint8_t>> base64_decode(std::string_view text);

// Non-empty, valid UTF-8, no control character, no Unicode white space, no '+'.
bool is_valid_key_name(std::string_view name);

// Why `text` cannot be the text of a note (empty when it can): it must be valid UTF-8, contain no
// control character but newline, and end with a newline. Used by signers and checkpoint parsing.
Problems note_text_problems(std::string_view text);

// ---- Notes -----------------------------------------------------------------------------------

struct NoteSignature {
  std::string name;
  std::uint32_t key_id = 0;
  std::vector<std::uint8_t> signature;  // without the key ID
  friend bool operator==(const NoteSignature&, const NoteSignature&) = default;
};

struct Note {
  std::string text;  // ends with "\n"; excludes the blank separator line
  std::vector<NoteSignature> signatures;
  friend bool operator==(const Note&, const Note&) = default;
};

// Syntax only: splits a note into text and signature lines without judging any signature.
Result<Note> parse_note(std::string_view note);
// The exact bytes of a note. Throws std::invalid_argument when the note could not be parsed back
// (bad text, no signatures, invalid key name): signing code never produces one.
std::string format_note(const Note& note);

// ---- Keys ------------------------------------------------------------------------------------

using Ed25519PublicKey = std::array<std::uint8_t, 32>;
using Ed25519Seed = std::array<std::uint8_t, 32>;

std::uint32_t ed25519_key_id(std::string_view name, const Ed25519PublicKey& public_key);

class NoteVerifier {
 public:
  // Parses "<name>+<id>+<base64>"; the ID must be the one the name and key give.
  static Result<NoteVerifier> parse(std::string_view vkey);
  // Throws std::invalid_argument if the name is invalid.
  static NoteVerifier from_public_key(std::string name, const Ed25519PublicKey& public_key);

  const std::string& name() const { return name_; }
  std::uint32_t key_id() const { return key_id_; }
  const Ed25519PublicKey& public_key() const { return public_key_; }
  std::string to_string() const;  // the vkey text

  // Whether `signature` (without key ID) is this key's Ed25519 signature of `text`.
  bool verify(std::string_view text, std::span<const std::uint8_t> signature) const;

 private:
  NoteVerifier() = default;
  std::string name_;
  std::uint32_t key_id_ = 0;
  Ed25519PublicKey public_key_{};
  std::shared_ptr<evp_pkey_st> key_;
};

class NoteSigner {
 public:
  // Parses "PRIVATE+KEY+<name>+<id>+<base64>". Problems never quote the input: it is a secret.
  static Result<NoteSigner> parse(std::string_view skey);
  // A new key from the operating system's random generator (OpenSSL RAND_priv_bytes).
  static NoteSigner generate(std::string name);
  // A key from given seed bytes: for tests and known-answer checks. Throws on an invalid name.
  static NoteSigner from_seed(std::string name, const Ed25519Seed& seed);

  NoteSigner(const NoteSigner&) = default;
  NoteSigner& operator=(const NoteSigner&) = default;
  NoteSigner(NoteSigner&&) noexcept = default;
  NoteSigner& operator=(NoteSigner&&) noexcept = default;
  ~NoteSigner();  // wipes the seed

  const std::string& name() const { return verifier_.name(); }
  std::uint32_t key_id() const { return verifier_.key_id(); }
  const NoteVerifier& verifier() const { return verifier_; }
  std::string to_string() const;  // the secret signer key text

  // Signs a note text. Throws std::invalid_argument if note_text_problems(text) is not empty.
  NoteSignature sign(std::string_view text) const;

 private:
  NoteSigner(NoteVerifier verifier, const Ed25519Seed& seed, std::shared_ptr<evp_pkey_st> key);
  NoteVerifier verifier_;
  Ed25519Seed seed_{};
  std::shared_ptr<evp_pkey_st> key_;
};

// The note made of `text` signed by `signer`.
std::string sign_note(std::string_view text, const NoteSigner& signer);

// A note whose signatures have been checked against trusted keys.
struct OpenedNote {
  std::string text;
  std::vector<NoteSignature> verified;    // by trusted keys; at least one; duplicates dropped
  std::vector<NoteSignature> unverified;  // by keys not trusted here: ignored, duplicates dropped
};

// Parses `note` and verifies it with `trusted` keys (rules at the top of this file). The trusted
// list must not hold two keys with the same name and ID (std::invalid_argument: configuration).
Result<OpenedNote> open_note(std::string_view note, std::span<const NoteVerifier> trusted);

}  // namespace candor::registry

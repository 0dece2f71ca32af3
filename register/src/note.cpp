#include "candor/registry/note.h"

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <algorithm>
#include <stdexcept>
#include <utility>

namespace candor::registry {

namespace {

constexpr std::string_view kSignaturePrefix = "\xE2\x80\x94 ";  // U+2014 EM DASH, space
constexpr std::string_view kSignerPrefix = "PRIVATE+KEY+";
constexpr std::size_t kEd25519SignatureSize = 64;

Problem make_problem(std::string code, std::string message, Position at = {}) {
  Problem p;
  p.position = at;
  p.code = std::move(code);
  p.message = std::move(message);
  return p;
}

template <class T>
Result<T> failure(std::string code, std::string message, Position at = {}) {
  return Result<T>(Problems{make_problem(std::move(code), std::move(message), at)});
}

std::string hex32(std::uint32_t v) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(8, '0');
  for (int i = 7; i >= 0; --i, v >>= 4) out[static_cast<std::size_t>(i)] = kDigits[v & 0xf];
  return out;
}

std::optional<std::uint32_t> parse_hex32(std::string_view s) {
  if (s.size() != 8) return std::nullopt;
  std::uint32_t v = 0;
  for (char c : s) {
    int d;
    if (c >= '0' && c <= '9') {
      d = c - '0';
    } else if (c >= 'a' && c <= 'f') {
      d = c - 'a' + 10;
    } else {
      return std::nullopt;  // the spec's hex is lowercase
    }
    v = v << 4 | static_cast<std::uint32_t>(d);
  }
  return v;
}

// ---- UTF-8 -------------------------------------------------------------------------------------

// Decodes one code point at s[i] (strict: no overlong forms, surrogates or values past U+10FFFF).
// Returns the code point and its length, or length 0 when the bytes are not UTF-8.
std::pair<char32_t, std::size_t> decode_utf8(std::string_view s, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<std::uint8_t>(s[k]); };
  const std::uint8_t b0 = byte(i);
  if (b0 < 0x80) return {b0, 1};
  std::size_t length;
  char32_t cp;
  std::uint8_t lo = 0x80;
  std::uint8_t hi = 0xBF;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    length = 2;
    cp = b0 & 0x1F;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    length = 3;
    cp = b0 & 0x0F;
    if (b0 == 0xE0) lo = 0xA0;  // overlong
    if (b0 == 0xED) hi = 0x9F;  // surrogates
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    length = 4;
    cp = b0 & 0x07;
    if (b0 == 0xF0) lo = 0x90;  // overlong
    if (b0 == 0xF4) hi = 0x8F;  // beyond U+10FFFF
  } else {
    return {0, 0};
  }
  if (s.size() - i < length) return {0, 0};
  for (std::size_t k = 1; k < length; ++k) {
    const std::uint8_t b = byte(i + k);
    if (b < (k == 1 ? lo : 0x80) || b > (k == 1 ? hi : 0xBF)) return {0, 0};
    cp = cp << 6 | (b & 0x3F);
  }
  return {cp, length};
}

// Unicode White_Space, the set Go's unicode.IsSpace uses for key names.
bool is_unicode_space(char32_t c) {
  return (c >= 0x09 && c <= 0x0D) || c == 0x20 || c == 0x85 || c == 0xA0 || c == 0x1680 ||
         (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F ||
         c == 0x205F || c == 0x3000;
}

// 1-based line and column (in code points) of byte `offset`, for problem reports.
Position position_at(std::string_view s, std::size_t offset) {
  Position p{1, 1};
  for (std::size_t i = 0; i < offset && i < s.size(); ++i) {
    if (s[i] == '\n') {
      ++p.line;
      p.column = 1;
    } else if ((static_cast<std::uint8_t>(s[i]) & 0xC0) != 0x80) {
      ++p.column;
    }
  }
  return p;
}

// The first encoding problem of a note (or its text): invalid UTF-8 or a control character.
std::optional<Problem> encoding_problem(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    auto [cp, length] = decode_utf8(s, i);
    if (length == 0) {
      return make_problem("note.encoding", "note is not valid UTF-8 (byte " + std::to_string(i) +
                                               ")", position_at(s, i));
    }
    if (cp < 0x20 && cp != '\n') {
      return make_problem("note.encoding",
                          "note contains the control character U+00" + hex32(cp).substr(6) +
                              "; only newline is allowed",
                          position_at(s, i));
    }
    i += length;
  }
  return std::nullopt;
}

// ---- OpenSSL Ed25519 ---------------------------------------------------------------------------

struct PkeyDeleter {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};
struct MdCtxDeleter {
  void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
};
using MdCtx = std::unique_ptr<EVP_MD_CTX, MdCtxDeleter>;

std::shared_ptr<evp_pkey_st> ed25519_private_key(const Ed25519Seed& seed) {
  EVP_PKEY* key =
      EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr, seed.data(), seed.size());
  if (key == nullptr) throw std::runtime_error("OpenSSL could not load an Ed25519 private key");
  return std::shared_ptr<evp_pkey_st>(key, PkeyDeleter{});
}

std::shared_ptr<evp_pkey_st> ed25519_public_key(const Ed25519PublicKey& public_key) {
  EVP_PKEY* key = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr, public_key.data(),
                                              public_key.size());
  if (key == nullptr) {
    ERR_clear_error();
    return nullptr;
  }
  return std::shared_ptr<evp_pkey_st>(key, PkeyDeleter{});
}

Ed25519PublicKey raw_public_key(EVP_PKEY* key) {
  Ed25519PublicKey out{};
  std::size_t length = out.size();
  if (EVP_PKEY_get_raw_public_key(key, out.data(), &length) != 1 || length != out.size()) {
    throw std::runtime_error("OpenSSL could not derive the Ed25519 public key");
  }
  return out;
}

void require_valid_name(std::string_view name) {
  if (!is_valid_key_name(name)) {
    throw std::invalid_argument("invalid note key name \"" + std::string(name) +
                                "\": it must be non-empty UTF-8 without spaces or '+'");
  }
}

// "<name>+<id>+<base64(type ‖ key)>", the tail shared by verifier and signer keys. '+' is not
// allowed in names or hex IDs but is a base64 digit, so only the first two split.
struct KeyText {
  std::string_view name;
  std::uint32_t key_id = 0;
  std::vector<std::uint8_t> key;  // without the type byte
};

Result<KeyText> parse_key_text(std::string_view text, bool secret) {
  const std::size_t plus1 = text.find('+');
  const std::size_t plus2 = plus1 == std::string_view::npos ? plus1 : text.find('+', plus1 + 1);
  if (plus2 == std::string_view::npos) {
    return failure<KeyText>("key.malformed", "a key has the form <name>+<key ID>+<key>");
  }
  KeyText out;
  out.name = text.substr(0, plus1);
  if (!is_valid_key_name(out.name)) {
    return failure<KeyText>("key.name", "key name is empty or contains a space, '+' or a control "
                                        "character");
  }
  auto id = parse_hex32(text.substr(plus1 + 1, plus2 - plus1 - 1));
  if (!id) {
    return failure<KeyText>("key.malformed", "key ID of \"" + std::string(out.name) +
                                                 "\" is not 8 lowercase hex digits");
  }
  out.key_id = *id;
  auto decoded = base64_decode(text.substr(plus2 + 1));
  if (!decoded || decoded->empty()) {
    return failure<KeyText>("key.malformed",
                            "key material of \"" + std::string(out.name) + "\" is not base64");
  }
  if ((*decoded)[0] != kEd25519SignatureType) {
    return failure<KeyText>("key.algorithm",
                            "key \"" + std::string(out.name) + "\" has signature type 0x" +
                                hex32((*decoded)[0]).substr(6) + "; only Ed25519 (0x01) is supported");
  }
  if (decoded->size() != 33) {
    return failure<KeyText>("key.malformed", std::string(secret ? "seed" : "public key") + " of \"" +
                                                 std::string(out.name) + "\" is " +
                                                 std::to_string(decoded->size() - 1) +
                                                 " bytes, not 32");
  }
  out.key.assign(decoded->begin() + 1, decoded->end());
  if (secret) OPENSSL_cleanse(decoded->data(), decoded->size());
  return out;
}

}  // namespace

// ---- Encodings ---------------------------------------------------------------------------------

std::string base64_encode(std::span<const std::uint8_t> bytes) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    const std::uint32_t v = std::uint32_t{bytes[i]} << 16 | std::uint32_t{bytes[i + 1]} << 8 |
                            bytes[i + 2];
    out.push_back(kAlphabet[v >> 18 & 63]);
    out.push_back(kAlphabet[v >> 12 & 63]);
    out.push_back(kAlphabet[v >> 6 & 63]);
    out.push_back(kAlphabet[v & 63]);
  }
  if (bytes.size() - i == 1) {
    const std::uint32_t v = std::uint32_t{bytes[i]} << 16;
    out.push_back(kAlphabet[v >> 18 & 63]);
    out.push_back(kAlphabet[v >> 12 & 63]);
    out.append("==");
  } else if (bytes.size() - i == 2) {
    const std::uint32_t v = std::uint32_t{bytes[i]} << 16 | std::uint32_t{bytes[i + 1]} << 8;
    out.push_back(kAlphabet[v >> 18 & 63]);
    out.push_back(kAlphabet[v >> 12 & 63]);
    out.push_back(kAlphabet[v >> 6 & 63]);
    out.push_back('=');
  }
  return out;
}

std::optional<std::vector<std::uint8_t>> base64_decode(std::string_view text) {
  if (text.size() % 4 != 0) return std::nullopt;
  const auto value = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
  };
  std::size_t padding = 0;
  if (!text.empty() && text.back() == '=') padding = text[text.size() - 2] == '=' ? 2 : 1;
  std::vector<std::uint8_t> out;
  out.reserve(text.size() / 4 * 3);
  for (std::size_t i = 0; i < text.size(); i += 4) {
    const bool last = i + 4 == text.size();
    const std::size_t digits = last ? 4 - padding : 4;
    std::uint32_t v = 0;
    for (std::size_t k = 0; k < 4; ++k) {
      int d = 0;
      if (k < digits) {
        d = value(text[i + k]);
        if (d < 0) return std::nullopt;
      }
      v = v << 6 | static_cast<std::uint32_t>(d);
    }
    out.push_back(static_cast<std::uint8_t>(v >> 16));
    if (digits >= 3) out.push_back(static_cast<std::uint8_t>(v >> 8));
    if (digits == 4) out.push_back(static_cast<std::uint8_t>(v));
    // Canonical form only: the bits the padding drops must be zero.
    if ((digits == 2 && (v & 0xFFFF) != 0) || (digits == 3 && (v & 0xFF) != 0)) return std::nullopt;
  }
  return out;
}

bool is_valid_key_name(std::string_view name) {
  if (name.empty()) return false;
  for (std::size_t i = 0; i < name.size();) {
    auto [cp, length] = decode_utf8(name, i);
    if (length == 0 || cp < 0x20 || cp == '+' || is_unicode_space(cp)) return false;
    i += length;
  }
  return true;
}

Problems note_text_problems(std::string_view text) {
  Problems out;
  if (auto p = encoding_problem(text)) out.push_back(std::move(*p));
  if (text.empty() || text.back() != '\n') {
    out.push_back(make_problem("note.malformed", "note text must end with a newline"));
  }
  return out;
}

// ---- Notes -------------------------------------------------------------------------------------

Result<Note> parse_note(std::string_view note) {
  if (note.size() > kMaxNoteBytes) {
    return failure<Note>("note.too-large", "note is " + std::to_string(note.size()) +
                                               " bytes; the limit is " +
                                               std::to_string(kMaxNoteBytes));
  }
  if (auto p = encoding_problem(note)) return Result<Note>(Problems{std::move(*p)});

  // The text ends at the last blank line; signature lines can never contain one.
  const std::size_t split = note.rfind("\n\n");
  if (split == std::string_view::npos) {
    return failure<Note>("note.malformed",
                         "note has no blank line separating the text from the signatures",
                         position_at(note, note.size()));
  }
  Note out;
  out.text = std::string(note.substr(0, split + 1));
  std::string_view signatures = note.substr(split + 2);
  std::uint32_t line = static_cast<std::uint32_t>(std::count(out.text.begin(), out.text.end(), '\n')) + 2;
  if (signatures.empty()) {
    return failure<Note>("note.malformed", "note has no signature lines after the blank line",
                         Position{line, 1});
  }
  if (signatures.back() != '\n') {
    return failure<Note>("note.malformed", "the last signature line does not end with a newline",
                         position_at(note, note.size()));
  }

  while (!signatures.empty()) {
    const std::size_t end = signatures.find('\n');
    std::string_view text = signatures.substr(0, end);
    signatures.remove_prefix(end + 1);
    const Position at{line, 1};
    if (out.signatures.size() == kMaxNoteSignatures) {
      return failure<Note>("note.too-many-signatures",
                           "note has more than " + std::to_string(kMaxNoteSignatures) +
                               " signatures",
                           at);
    }
    if (!text.starts_with(kSignaturePrefix)) {
      return failure<Note>("note.malformed",
                           "signature line does not start with an em dash (U+2014) and a space",
                           at);
    }
    text.remove_prefix(kSignaturePrefix.size());
    const std::size_t space = text.find(' ');
    if (space == std::string_view::npos) {
      return failure<Note>("note.malformed",
                           "signature line has no space between key name and signature", at);
    }
    std::string_view name = text.substr(0, space);
    if (!is_valid_key_name(name)) {
      return failure<Note>("note.malformed", "signature line has an invalid key name", at);
    }
    auto decoded = base64_decode(text.substr(space + 1));
    if (!decoded) {
      return failure<Note>("note.malformed",
                           "signature by \"" + std::string(name) + "\" is not valid base64", at);
    }
    if (decoded->size() < 5) {
      return failure<Note>("note.malformed",
                           "signature by \"" + std::string(name) +
                               "\" is too short to hold a key ID and a signature",
                           at);
    }
    NoteSignature sig;
    sig.name = std::string(name);
    sig.key_id = std::uint32_t{(*decoded)[0]} << 24 | std::uint32_t{(*decoded)[1]} << 16 |
                 std::uint32_t{(*decoded)[2]} << 8 | std::uint32_t{(*decoded)[3]};
    sig.signature.assign(decoded->begin() + 4, decoded->end());
    out.signatures.push_back(std::move(sig));
    ++line;
  }
  return out;
}

std::string format_note(const Note& note) {
  if (Problems p = note_text_problems(note.text); !p.empty()) {
    throw std::invalid_argument("format_note: " + p.front().message);
  }
  if (note.signatures.empty()) throw std::invalid_argument("format_note: a note needs a signature");
  std::string out = note.text;
  out.push_back('\n');
  for (const NoteSignature& sig : note.signatures) {
    require_valid_name(sig.name);
    if (sig.signature.empty()) throw std::invalid_argument("format_note: empty signature");
    std::vector<std::uint8_t> bytes = {
        static_cast<std::uint8_t>(sig.key_id >> 24), static_cast<std::uint8_t>(sig.key_id >> 16),
        static_cast<std::uint8_t>(sig.key_id >> 8), static_cast<std::uint8_t>(sig.key_id)};
    bytes.insert(bytes.end(), sig.signature.begin(), sig.signature.end());
    out.append(kSignaturePrefix);
    out.append(sig.name);
    out.push_back(' ');
    out.append(base64_encode(bytes));
    out.push_back('\n');
  }
  return out;
}

// ---- Keys --------------------------------------------------------------------------------------

std::uint32_t ed25519_key_id(std::string_view name, const Ed25519PublicKey& public_key) {
  std::string input(name);
  input.push_back('\n');
  input.push_back(static_cast<char>(kEd25519SignatureType));
  input.append(reinterpret_cast<const char*>(public_key.data()), public_key.size());
  std::array<std::uint8_t, 32> digest{};
  unsigned int length = 0;
  if (EVP_Digest(input.data(), input.size(), digest.data(), &length, EVP_sha256(), nullptr) != 1) {
    throw std::runtime_error("SHA-256 computation failed in OpenSSL");
  }
  return std::uint32_t{digest[0]} << 24 | std::uint32_t{digest[1]} << 16 |
         std::uint32_t{digest[2]} << 8 | std::uint32_t{digest[3]};
}

Result<NoteVerifier> NoteVerifier::parse(std::string_view vkey) {
  auto text = parse_key_text(vkey, /*secret=*/false);
  if (!text.ok()) return Result<NoteVerifier>(std::move(text.problems()));
  Ed25519PublicKey public_key{};
  std::copy(text.value().key.begin(), text.value().key.end(), public_key.begin());
  const std::string name(text.value().name);
  if (ed25519_key_id(name, public_key) != text.value().key_id) {
    return failure<NoteVerifier>("key.id-mismatch", "key ID " + hex32(text.value().key_id) +
                                                        " does not match key \"" + name + "\"");
  }
  auto key = ed25519_public_key(public_key);
  if (!key) {
    return failure<NoteVerifier>("key.invalid", "\"" + name + "\" is not a usable Ed25519 key");
  }
  NoteVerifier out;
  out.name_ = name;
  out.key_id_ = text.value().key_id;
  out.public_key_ = public_key;
  out.key_ = std::move(key);
  return out;
}

NoteVerifier NoteVerifier::from_public_key(std::string name, const Ed25519PublicKey& public_key) {
  require_valid_name(name);
  auto key = ed25519_public_key(public_key);
  if (!key) throw std::invalid_argument("OpenSSL refused the Ed25519 public key");
  NoteVerifier out;
  out.key_id_ = ed25519_key_id(name, public_key);
  out.name_ = std::move(name);
  out.public_key_ = public_key;
  out.key_ = std::move(key);
  return out;
}

std::string NoteVerifier::to_string() const {
  std::vector<std::uint8_t> material{kEd25519SignatureType};
  material.insert(material.end(), public_key_.begin(), public_key_.end());
  return name_ + "+" + hex32(key_id_) + "+" + base64_encode(material);
}

bool NoteVerifier::verify(std::string_view text, std::span<const std::uint8_t> signature) const {
  if (signature.size() != kEd25519SignatureSize) return false;
  MdCtx ctx(EVP_MD_CTX_new());
  if (!ctx) throw std::bad_alloc();
  // Pure Ed25519 (RFC 8032): no digest, one-shot over the whole message.
  const bool ok =
      EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, key_.get()) == 1 &&
      EVP_DigestVerify(ctx.get(), signature.data(), signature.size(),
                       reinterpret_cast<const unsigned char*>(text.data()), text.size()) == 1;
  if (!ok) ERR_clear_error();  // a bad signature is an answer, not an error to keep around
  return ok;
}

NoteSigner::NoteSigner(NoteVerifier verifier, const Ed25519Seed& seed,
                       std::shared_ptr<evp_pkey_st> key)
    : verifier_(std::move(verifier)), seed_(seed), key_(std::move(key)) {}

NoteSigner::~NoteSigner() { OPENSSL_cleanse(seed_.data(), seed_.size()); }

NoteSigner NoteSigner::from_seed(std::string name, const Ed25519Seed& seed) {
  require_valid_name(name);
  auto key = ed25519_private_key(seed);
  NoteVerifier verifier = NoteVerifier::from_public_key(std::move(name), raw_public_key(key.get()));
  return NoteSigner(std::move(verifier), seed, std::move(key));
}

NoteSigner NoteSigner::generate(std::string name) {
  Ed25519Seed seed{};
  if (RAND_priv_bytes(seed.data(), static_cast<int>(seed.size())) != 1) {
    throw std::runtime_error("the operating system's random generator failed");
  }
  NoteSigner out = from_seed(std::move(name), seed);
  OPENSSL_cleanse(seed.data(), seed.size());
  return out;
}

Result<NoteSigner> NoteSigner::parse(std::string_view skey) {
  if (!skey.starts_with(kSignerPrefix)) {
    return failure<NoteSigner>("key.malformed", "a signer key starts with PRIVATE+KEY+");
  }
  auto text = parse_key_text(skey.substr(kSignerPrefix.size()), /*secret=*/true);
  if (!text.ok()) return Result<NoteSigner>(std::move(text.problems()));
  Ed25519Seed seed{};
  std::copy(text.value().key.begin(), text.value().key.end(), seed.begin());
  OPENSSL_cleanse(text.value().key.data(), text.value().key.size());
  NoteSigner signer = from_seed(std::string(text.value().name), seed);
  OPENSSL_cleanse(seed.data(), seed.size());
  if (signer.key_id() != text.value().key_id) {
    return failure<NoteSigner>("key.id-mismatch", "key ID " + hex32(text.value().key_id) +
                                                      " does not match signer key \"" +
                                                      signer.name() + "\"");
  }
  return signer;
}

std::string NoteSigner::to_string() const {
  std::vector<std::uint8_t> material{kEd25519SignatureType};
  material.insert(material.end(), seed_.begin(), seed_.end());
  std::string out = std::string(kSignerPrefix) + name() + "+" + hex32(key_id()) + "+" +
                    base64_encode(material);
  OPENSSL_cleanse(material.data(), material.size());
  return out;
}

NoteSignature NoteSigner::sign(std::string_view text) const {
  if (Problems p = note_text_problems(text); !p.empty()) {
    throw std::invalid_argument("cannot sign note text: " + p.front().message);
  }
  MdCtx ctx(EVP_MD_CTX_new());
  if (!ctx) throw std::bad_alloc();
  NoteSignature out;
  out.name = name();
  out.key_id = key_id();
  out.signature.resize(kEd25519SignatureSize);
  std::size_t length = out.signature.size();
  if (EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, key_.get()) != 1 ||
      EVP_DigestSign(ctx.get(), out.signature.data(), &length,
                     reinterpret_cast<const unsigned char*>(text.data()), text.size()) != 1 ||
      length != kEd25519SignatureSize) {
    throw std::runtime_error("Ed25519 signing failed in OpenSSL");
  }
  return out;
}

std::string sign_note(std::string_view text, const NoteSigner& signer) {
  return format_note(Note{std::string(text), {signer.sign(text)}});
}

// ---- Opening -----------------------------------------------------------------------------------

Result<OpenedNote> open_note(std::string_view note, std::span<const NoteVerifier> trusted) {
  for (std::size_t i = 0; i < trusted.size(); ++i) {
    for (std::size_t j = i + 1; j < trusted.size(); ++j) {
      if (trusted[i].name() == trusted[j].name() && trusted[i].key_id() == trusted[j].key_id()) {
        throw std::invalid_argument("two trusted keys share the name \"" + trusted[i].name() +
                                    "\" and key ID " + hex32(trusted[i].key_id()));
      }
    }
  }
  auto parsed = parse_note(note);
  if (!parsed.ok()) return Result<OpenedNote>(std::move(parsed.problems()));
  Note& n = parsed.value();

  OpenedNote out;
  out.text = std::move(n.text);
  std::uint32_t line =
      static_cast<std::uint32_t>(std::count(out.text.begin(), out.text.end(), '\n')) + 2;
  for (NoteSignature& sig : n.signatures) {
    const Position at{line++, 1};
    auto key = std::find_if(trusted.begin(), trusted.end(), [&](const NoteVerifier& v) {
      return v.name() == sig.name && v.key_id() == sig.key_id;
    });
    auto& bucket = key == trusted.end() ? out.unverified : out.verified;
    if (key != trusted.end() && !key->verify(out.text, sig.signature)) {
      return failure<OpenedNote>("note.bad-signature",
                                 "the signature by trusted key " + sig.name + "+" +
                                     hex32(sig.key_id) +
                                     " does not verify: the note was altered after signing",
                                 at);
    }
    if (std::find(bucket.begin(), bucket.end(), sig) == bucket.end()) {
      bucket.push_back(std::move(sig));
    }
  }
  if (out.verified.empty()) {
    std::string seen;
    for (const NoteSignature& sig : out.unverified) {
      seen += (seen.empty() ? "" : ", ") + sig.name + "+" + hex32(sig.key_id);
    }
    return failure<OpenedNote>("note.unverified",
                               "note is not signed by any trusted key (signed by: " + seen + ")");
  }
  return out;
}

}  // namespace candor::registry

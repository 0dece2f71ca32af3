// The public keys the transparency-log fuzz targets trust: the repository's test vectors
// (tests/data/tlog-vectors), so their seeds carry signatures that verify and the fuzzer reaches
// the code behind a good signature, not only the rejections in front of it.
#pragma once

#include <cstdlib>
#include <string_view>
#include <vector>

#include "candor/registry/note.h"

namespace candor::fuzz {

// The example register's origin: the key name of example-register.vkey and of make_seeds.cpp's
// key (the known-answer seed 00..1f of docs/log-format.md).
inline constexpr std::string_view kOrigin = "example.org/ai-register";

inline const std::vector<registry::NoteVerifier>& trusted_keys() {
  static const std::vector<registry::NoteVerifier> keys = [] {
    std::vector<registry::NoteVerifier> out;
    for (const std::string_view vkey : {
             "example.org/ai-register+03dcf8b2+AQOhB7/zzhC+HXDdGOdLwJln5NYwm6UNXx3chmQSVTG4",
             "example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k",
             "sum.golang.org+033de0ae+Ac4zctda0e5eza+HJyk9SxEdh+s3Ux18htTTAD8OuAn8",
         }) {
      auto parsed = registry::NoteVerifier::parse(vkey);
      if (!parsed.ok()) std::abort();  // a test vector no longer parses: fix that first
      out.push_back(std::move(parsed.value()));
    }
    return out;
  }();
  return keys;
}

}  // namespace candor::fuzz

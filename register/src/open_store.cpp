#include "candor/registry/open_store.h"

#include <cctype>

#include "candor/registry/postgres.h"
#include "candor/registry/sqlite.h"

namespace candor::registry {

namespace {

constexpr const char* k_accepted_forms =
    "use sqlite:FILE (or a plain file path) for SQLite, or "
    "postgresql://USER@HOST[:PORT]/DBNAME for PostgreSQL";

bool starts_with(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

// The scheme of "scheme:rest" (RFC 3986: a letter, then letters, digits, + - .), lower-cased;
// empty when `url` does not start with one. One letter is not a scheme: "C:" is a path on some
// systems, and nobody names a database scheme with one letter.
std::string scheme_of(std::string_view url) {
  std::size_t i = 0;
  if (url.empty() || !std::isalpha(static_cast<unsigned char>(url[0]))) return {};
  while (i < url.size() && (std::isalnum(static_cast<unsigned char>(url[i])) || url[i] == '+' ||
                            url[i] == '-' || url[i] == '.')) {
    ++i;
  }
  if (i < 2 || i >= url.size() || url[i] != ':') return {};
  std::string scheme(url.substr(0, i));
  for (char& c : scheme) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return scheme;
}

}  // namespace

std::string redact_database_url(std::string_view url) {
  std::string out(url);
  const std::size_t authority = out.find("://");
  if (authority != std::string::npos) {
    const std::size_t begin = authority + 3;
    const std::size_t end = out.find_first_of("/?", begin);
    const std::size_t at = out.rfind('@', end == std::string::npos ? out.size() : end);
    if (at != std::string::npos && at >= begin) {
      const std::size_t colon = out.find(':', begin);
      if (colon != std::string::npos && colon < at) out.erase(colon, at - colon);
    }
  }
  // password=... among the query parameters.
  const std::size_t query = out.find('?');
  if (query != std::string::npos) {
    std::string kept;
    std::size_t pos = query + 1;
    while (pos <= out.size()) {
      std::size_t amp = out.find('&', pos);
      if (amp == std::string::npos) amp = out.size();
      const std::string param = out.substr(pos, amp - pos);
      if (!starts_with(param, "password=") && !param.empty()) {
        kept += (kept.empty() ? "" : "&") + param;
      }
      pos = amp + 1;
    }
    out.erase(query);
    if (!kept.empty()) out += "?" + kept;
  }
  return out;
}

DatabaseUrl parse_database_url(std::string_view url) {
  if (url.empty()) throw StoreError(std::string("no database given: ") + k_accepted_forms);
  const std::string scheme = scheme_of(url);
  if (scheme.empty()) return {StoreBackend::sqlite, std::string(url), std::string(url)};
  if (scheme == "sqlite") {
    std::string_view path = url.substr(scheme.size() + 1);
    if (path.empty() || starts_with(path, "//")) {
      throw StoreError("the database URL \"" + std::string(url) +
                       "\" names no file: write sqlite:FILE, e.g. sqlite:register.db or "
                       "sqlite:/var/lib/candor/register.db");
    }
    return {StoreBackend::sqlite, std::string(path), std::string(path)};
  }
  if (scheme == "postgresql" || scheme == "postgres") {
    if (url.substr(scheme.size() + 1, 2) != "//") {
      throw StoreError("the database URL \"" + redact_database_url(url) +
                       "\" is not a PostgreSQL URL: " + k_accepted_forms);
    }
    return {StoreBackend::postgresql, std::string(url), redact_database_url(url)};
  }
  throw StoreError("the database URL \"" + redact_database_url(url) + "\" has the scheme \"" +
                   scheme + ":\", which Candor does not support: " + k_accepted_forms +
                   " (a file whose name has a colon: sqlite:FILE or ./FILE)");
}

std::unique_ptr<Store> open_store(std::string_view url, const OpenStoreOptions& options) {
  const DatabaseUrl parsed = parse_database_url(url);
  switch (parsed.backend) {
    case StoreBackend::sqlite: {
      SqliteOptions sqlite;
      sqlite.create = options.create && !options.read_only;
      sqlite.read_only = options.read_only;
      return open_sqlite_store(parsed.target, sqlite);
    }
    case StoreBackend::postgresql: {
      PostgresOptions postgres;
      postgres.create = options.create && !options.read_only;
      postgres.read_only = options.read_only;
      return open_postgres_store(parsed.target, postgres);
    }
  }
  throw std::logic_error("unknown store backend");
}

}  // namespace candor::registry

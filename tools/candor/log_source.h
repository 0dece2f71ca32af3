// Where `candor verify --log` reads a log from: a directory (as `candor log export` writes it, or
// any copy of one) or an HTTP(S) URL prefix serving the same files (c2sp.org/tlog-tiles).
#pragma once

#include <memory>
#include <string>

#include <Poco/Net/Context.h>

#include "candor/registry/log_audit.h"

namespace candor::cli {

// "http://…" or "https://…" is a URL prefix; anything else is a directory. Throws
// std::invalid_argument, with a message for people, for a URL that cannot be used or a directory
// that does not exist.
//
// Over HTTP: one keep-alive connection, reopened once if the server closed it; redirects followed
// (at most 5); "Accept-Encoding: gzip, identity" and gzip bodies inflated (the spec lets servers
// compress bundles without negotiating); 404 and 410 mean "not found"; timeouts of 30 seconds.
// HTTPS checks the server's certificate against the system's trusted CAs and its host name.
// The fetcher is not thread-safe.
registry::LogFetcher make_log_fetcher(const std::string& location);

// The TLS client context every HTTPS request of the CLI uses (verify --log, submit): the
// system's trusted CAs, full chain and host name verification; an invalid certificate is
// rejected, never asked about. Initialises Poco's SSL once.
Poco::Net::Context::Ptr tls_client_context();

// Whether `location` names a URL rather than a directory.
bool is_log_url(const std::string& location);

}  // namespace candor::cli

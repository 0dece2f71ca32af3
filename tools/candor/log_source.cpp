#include "log_source.h"

#include <Poco/Exception.h>
#include <Poco/InflatingStream.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/RejectCertificateHandler.h>
#include <Poco/Net/SSLManager.h>
#include <Poco/Timespan.h>
#include <Poco/URI.h>

#include <cerrno>
#include <filesystem>
#include <fstream>
#include <istream>
#include <mutex>
#include <system_error>

namespace candor::cli {

namespace {

namespace fs = std::filesystem;
using registry::FetchError;

constexpr int k_max_redirects = 5;
constexpr long k_timeout_seconds = 30;

std::string read_at_most(std::istream& in, std::size_t max_bytes, const std::string& what) {
  std::string out;
  char buf[64 * 1024];
  while (in) {
    in.read(buf, sizeof buf);
    const auto n = static_cast<std::size_t>(in.gcount());
    if (n == 0) break;
    if (out.size() + n > max_bytes) {
      throw FetchError(
          what + " is larger than the " + std::to_string(max_bytes) + " bytes such a file can have",
          false);
    }
    out.append(buf, n);
  }
  if (in.bad()) throw FetchError("reading " + what + " failed", false);
  return out;
}

// ---- Directory ---------------------------------------------------------------------------------

registry::LogFetcher directory_fetcher(const fs::path& dir) {
  return [dir](const std::string& path, std::size_t max_bytes) {
    const fs::path file = dir / path;
    std::error_code ec;
    const auto status = fs::status(file, ec);
    if (ec || !fs::exists(status)) {
      throw FetchError(file.string() + ": no such file", ec.value() == ENOENT || !ec);
    }
    if (!fs::is_regular_file(status)) throw FetchError(file.string() + ": not a file", false);
    std::ifstream in(file, std::ios::binary);
    if (!in) {
      throw FetchError(
          file.string() + ": " + std::error_code(errno, std::generic_category()).message(), false);
    }
    return read_at_most(in, max_bytes, file.string());
  };
}

// ---- HTTP(S) -----------------------------------------------------------------------------------

class HttpFetcher {
 public:
  explicit HttpFetcher(Poco::URI prefix) : prefix_(std::move(prefix)) {
    std::string path = prefix_.getPath();
    if (path.empty() || path.back() != '/') path += '/';
    prefix_.setPath(path);
  }

  std::string fetch(const std::string& path, std::size_t max_bytes) {
    Poco::URI uri(prefix_, path);  // relative to the prefix, which ends in '/'
    for (int redirects = 0;; ++redirects) {
      const std::string where = uri.toString();
      Poco::Net::HTTPResponse response;
      std::string body;
      bool retried = false;
      for (;;) {
        try {
          Poco::Net::HTTPClientSession& s = session(uri);
          Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_GET, uri.getPathAndQuery(),
                                         Poco::Net::HTTPMessage::HTTP_1_1);
          request.set("Accept-Encoding", "gzip, identity");
          request.set("User-Agent", "candor-verify");
          s.sendRequest(request);
          response = Poco::Net::HTTPResponse();
          std::istream& in = s.receiveResponse(response);
          if (response.getStatus() == Poco::Net::HTTPResponse::HTTP_OK) {
            if (response.get("Content-Encoding", "identity") == "gzip") {
              Poco::InflatingInputStream inflated(in, Poco::InflatingStreamBuf::STREAM_GZIP);
              body = read_at_most(inflated, max_bytes, where);
            } else {
              body = read_at_most(in, max_bytes, where);
            }
          } else {
            // Drain a small error body so the connection can be reused; drop it otherwise.
            try {
              (void)read_at_most(in, std::size_t{64} * 1024, where);
            } catch (const FetchError&) {
              session_.reset();
            }
          }
          break;
        } catch (const FetchError&) {
          session_.reset();
          throw;
        } catch (const Poco::Exception& e) {
          // A kept-alive connection the server has closed fails on first use: reopen once.
          session_.reset();
          if (retried) throw FetchError(where + ": " + e.displayText(), false);
          retried = true;
        } catch (const std::exception& e) {
          session_.reset();
          throw FetchError(where + ": " + e.what(), false);
        }
      }
      const auto status = response.getStatus();
      if (status == Poco::Net::HTTPResponse::HTTP_OK) return body;
      if (status == Poco::Net::HTTPResponse::HTTP_NOT_FOUND ||
          status == Poco::Net::HTTPResponse::HTTP_GONE) {
        throw FetchError(where + ": HTTP " + std::to_string(static_cast<int>(status)) + " " +
                             response.getReason(),
                         true);
      }
      const bool redirect = status == Poco::Net::HTTPResponse::HTTP_MOVED_PERMANENTLY ||
                            status == Poco::Net::HTTPResponse::HTTP_FOUND ||
                            status == Poco::Net::HTTPResponse::HTTP_SEE_OTHER ||
                            status == Poco::Net::HTTPResponse::HTTP_TEMPORARY_REDIRECT ||
                            status == Poco::Net::HTTPResponse::HTTP_PERMANENT_REDIRECT;
      if (redirect && response.has("Location") && redirects < k_max_redirects) {
        Poco::URI next(uri, response.get("Location"));
        if (next.getScheme() != "http" && next.getScheme() != "https") {
          throw FetchError(where + ": redirected to an unsupported address", false);
        }
        uri = next;
        continue;
      }
      throw FetchError(
          where + ": HTTP " + std::to_string(static_cast<int>(status)) + " " + response.getReason(),
          false);
    }
  }

 private:
  Poco::Net::HTTPClientSession& session(const Poco::URI& uri) {
    const std::string key = uri.getScheme() + "://" + uri.getAuthority();
    if (session_ && key == session_key_) return *session_;
    session_.reset();
    if (uri.getScheme() == "https") {
      session_ = std::make_unique<Poco::Net::HTTPSClientSession>(uri.getHost(), uri.getPort(),
                                                                 tls_client_context());
    } else {
      session_ = std::make_unique<Poco::Net::HTTPClientSession>(uri.getHost(), uri.getPort());
    }
    session_->setTimeout(Poco::Timespan(k_timeout_seconds, 0));
    session_->setKeepAlive(true);
    session_key_ = key;
    return *session_;
  }

  Poco::URI prefix_;
  std::unique_ptr<Poco::Net::HTTPClientSession> session_;
  std::string session_key_;
};

}  // namespace

Poco::Net::Context::Ptr tls_client_context() {
  static std::once_flag once;
  static Poco::Net::Context::Ptr context;
  std::call_once(once, [] {
    Poco::Net::initializeSSL();
    // The system's trusted CAs (OpenSSL's defaults), full chain and host name verification; an
    // invalid certificate is rejected, never asked about.
    context = new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, "",
                                     Poco::Net::Context::VERIFY_RELAXED, 9, true);
    Poco::SharedPtr<Poco::Net::InvalidCertificateHandler> reject =
        new Poco::Net::RejectCertificateHandler(false);
    context->setInvalidCertificateHandler(reject);
    Poco::Net::SSLManager::instance().initializeClient(nullptr, reject, context);
  });
  return context;
}

bool is_log_url(const std::string& location) {
  return location.starts_with("http://") || location.starts_with("https://");
}

registry::LogFetcher make_log_fetcher(const std::string& location) {
  if (is_log_url(location)) {
    Poco::URI uri;
    try {
      uri = Poco::URI(location);
    } catch (const Poco::Exception& e) {
      throw std::invalid_argument(location + " is not a usable URL: " + e.displayText());
    }
    if (uri.getHost().empty()) throw std::invalid_argument(location + " names no host");
    if (!uri.getQuery().empty() || !uri.getFragment().empty()) {
      throw std::invalid_argument(location + ": a log's URL prefix has no query or fragment");
    }
    auto fetcher = std::make_shared<HttpFetcher>(uri);
    return [fetcher](const std::string& path, std::size_t max_bytes) {
      return fetcher->fetch(path, max_bytes);
    };
  }
  std::error_code ec;
  if (!fs::is_directory(location, ec)) {
    throw std::invalid_argument(location + " is neither a directory nor an http(s):// URL");
  }
  return directory_fetcher(location);
}

}  // namespace candor::cli

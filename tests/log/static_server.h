// A tiny static file server for the log tests: serves the files of a directory under a URL prefix,
// on 127.0.0.1 and an ephemeral port, as a CDN in front of `candor log export` would. Optionally
// gzips entry bundles without negotiation (the spec allows it), and counts requests.
#pragma once

#include <Poco/DeflatingStream.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>

namespace candor::test {

class StaticServer {
 public:
  struct Config {
    std::filesystem::path root;
    std::string prefix = "/log/";  // URL path the directory is served under
    bool gzip_bundles = false;
  };

  explicit StaticServer(Config config) : config_(std::make_shared<Shared>()) {
    config_->config = std::move(config);
    auto params = new Poco::Net::HTTPServerParams;
    params->setKeepAlive(true);
    params->setMaxThreads(4);
    server_ = std::make_unique<Poco::Net::HTTPServer>(
        new Factory(config_), Poco::Net::ServerSocket(Poco::Net::SocketAddress("127.0.0.1", 0)),
        params);
    server_->start();
  }
  ~StaticServer() { server_->stopAll(true); }

  std::string url() const {
    return "http://127.0.0.1:" + std::to_string(server_->port()) + config_->config.prefix;
  }
  int requests() const { return config_->requests.load(); }

 private:
  struct Shared {
    Config config;
    std::atomic<int> requests{0};
  };

  class Handler : public Poco::Net::HTTPRequestHandler {
   public:
    explicit Handler(std::shared_ptr<Shared> shared) : shared_(std::move(shared)) {}
    void handleRequest(Poco::Net::HTTPServerRequest& request,
                       Poco::Net::HTTPServerResponse& response) override {
      ++shared_->requests;
      const Config& c = shared_->config;
      const std::string& uri = request.getURI();
      std::filesystem::path file;
      if (uri.rfind(c.prefix, 0) == 0 && uri.find("..") == std::string::npos) {
        file = c.root / uri.substr(c.prefix.size());
      }
      std::error_code ec;
      if (file.empty() || !std::filesystem::is_regular_file(file, ec)) {
        response.setStatusAndReason(Poco::Net::HTTPResponse::HTTP_NOT_FOUND);
        response.setContentLength(9);
        response.send() << "not found";
        return;
      }
      std::ifstream in(file, std::ios::binary);
      std::ostringstream body;
      body << in.rdbuf();
      std::string bytes = body.str();
      if (c.gzip_bundles && uri.find("/tile/entries/") != std::string::npos) {
        std::ostringstream zipped;
        {
          Poco::DeflatingOutputStream deflate(zipped, Poco::DeflatingStreamBuf::STREAM_GZIP);
          deflate << bytes;
          deflate.close();
        }
        bytes = zipped.str();
        response.set("Content-Encoding", "gzip");
      }
      response.setContentType("application/octet-stream");
      response.setContentLength(static_cast<std::streamsize>(bytes.size()));
      response.send() << bytes;
    }

   private:
    std::shared_ptr<Shared> shared_;
  };

  class Factory : public Poco::Net::HTTPRequestHandlerFactory {
   public:
    explicit Factory(std::shared_ptr<Shared> shared) : shared_(std::move(shared)) {}
    Poco::Net::HTTPRequestHandler* createRequestHandler(
        const Poco::Net::HTTPServerRequest&) override {
      return new Handler(shared_);
    }

   private:
    std::shared_ptr<Shared> shared_;
  };

  std::shared_ptr<Shared> config_;
  std::unique_ptr<Poco::Net::HTTPServer> server_;
};

}  // namespace candor::test

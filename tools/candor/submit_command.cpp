// candor submit FILE... --server URL (--token-file FILE | --token-env VAR) [--receipts DIR]
//
// Posts each record to a Candor server (POST /api/v1/records, docs/api.md) with a bearer token,
// prints what the server found like `candor check` does (file:line:col: severity: [RULE]
// message), saves each receipt as FILE.tlog-proof beside the record (or DIR/<name>.tlog-proof),
// and ends with one summary line. HTTPS checks the server's certificate and host name against
// the system's trusted CAs.
//
// Exit status: 0 every record accepted (or unchanged); 1 some record rejected (invalid, another
// organisation's, too large); 2 usage, token, connection or server errors — nothing after such
// an error is submitted, and the message names the server and what to do.
#include <Poco/Exception.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Timespan.h>
#include <Poco/URI.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <map>
#include <memory>
#include <thread>

#include <nlohmann/json.hpp>

#include "candor/registry/problem.h"
#include "commands.h"
#include "input_files.h"
#include "log_source.h"
#include "progress.h"
#include "store_cli_support.h"
#include "submit.h"
#include "token_file.h"

namespace candor::cli {

namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;

constexpr std::size_t k_max_record_bytes = 1024 * 1024;  // the server's default body limit
constexpr std::size_t k_max_answer_bytes = 32 * 1024 * 1024;
constexpr long k_timeout_seconds = 60;
constexpr int k_rate_limit_retries = 3;
constexpr long k_max_retry_wait_seconds = 60;

// A failure that stops the run (exit 2): the message says what went wrong and what to do.
struct Fatal {
  std::string message;
};

struct Answer {
  int status = 0;
  std::string retry_after;
  std::string body;
};

class Client {
 public:
  Client(Poco::URI endpoint, std::string server, std::string token)
      : endpoint_(std::move(endpoint)), server_(std::move(server)), token_(std::move(token)) {}

  Answer post(const std::string& yaml) {
    for (int attempt = 0;; ++attempt) {
      try {
        Poco::Net::HTTPClientSession& s = session();
        Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_POST,
                                       endpoint_.getPathAndQuery(),
                                       Poco::Net::HTTPMessage::HTTP_1_1);
        request.set("Authorization", "Bearer " + token_);
        request.set("Accept", "application/json");
        request.set("User-Agent", "candor-submit");
        request.setContentType("application/yaml");
        request.setContentLength(static_cast<std::streamsize>(yaml.size()));
        s.sendRequest(request) << yaml;
        Poco::Net::HTTPResponse response;
        std::istream& in = s.receiveResponse(response);
        Answer answer;
        answer.status = static_cast<int>(response.getStatus());
        answer.retry_after = response.get("Retry-After", "");
        char buf[64 * 1024];
        while (in) {
          in.read(buf, sizeof buf);
          answer.body.append(buf, static_cast<std::size_t>(in.gcount()));
          if (answer.body.size() > k_max_answer_bytes) {
            throw Fatal{"the server at " + server_ + " sent an answer too large to be Candor's"};
          }
        }
        return answer;
      } catch (const Poco::Exception& e) {
        // A kept-alive connection the server has closed fails on first use: reopen once.
        session_.reset();
        if (attempt > 0) {
          throw Fatal{"cannot reach the server at " + server_ + ": " + e.displayText() +
                      "; check --server and that the server is running"};
        }
      } catch (const std::exception& e) {
        session_.reset();
        throw Fatal{"cannot talk to the server at " + server_ + ": " + e.what()};
      }
    }
  }

 private:
  Poco::Net::HTTPClientSession& session() {
    if (session_) return *session_;
    if (endpoint_.getScheme() == "https") {
      session_ = std::make_unique<Poco::Net::HTTPSClientSession>(
          endpoint_.getHost(), endpoint_.getPort(), tls_client_context());
    } else {
      session_ =
          std::make_unique<Poco::Net::HTTPClientSession>(endpoint_.getHost(), endpoint_.getPort());
    }
    session_->setTimeout(Poco::Timespan(k_timeout_seconds, 0));
    session_->setKeepAlive(true);
    return *session_;
  }

  Poco::URI endpoint_;
  std::string server_;
  std::string token_;
  std::unique_ptr<Poco::Net::HTTPClientSession> session_;
};

std::string text_of(const Json& j, const char* key) {
  const auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::uint64_t number_of(const Json& j, const char* key) {
  const auto it = j.find(key);
  return it != j.end() && it->is_number_unsigned() ? it->get<std::uint64_t>() : 0;
}

// The server's plain-English message from an API error body, or a fallback.
std::string error_message(const Answer& answer) {
  const Json body = Json::parse(answer.body, nullptr, false);
  if (body.is_object() && body.contains("error") && body["error"].is_object()) {
    const std::string message = text_of(body["error"], "message");
    if (!message.empty()) return message;
  }
  return "HTTP " + std::to_string(answer.status);
}

// One line per failure (and waived finding), top to bottom, as `candor check` prints them.
void print_findings(const std::string& file, const Json& findings) {
  if (!findings.is_array()) return;
  struct Line {
    std::uint64_t line, column;
    std::string text;
  };
  std::vector<Line> lines;
  for (const Json& f : findings) {
    if (!f.is_object()) continue;
    const std::string outcome = text_of(f, "outcome");
    if (outcome != "fail" && outcome != "waived") continue;
    const Json location = f.value("location", Json::object());
    const std::uint64_t line = number_of(location, "line"), column = number_of(location, "column");
    std::string text = file;
    if (line != 0) text += ':' + std::to_string(line) + ':' + std::to_string(column);
    text += ": " + (outcome == "waived" ? std::string("waived") : text_of(f, "severity")) + ": [" +
            text_of(f, "rule_id") + "] " + text_of(f, "message");
    std::replace(text.begin(), text.end(), '\n', ' ');
    lines.push_back({line, column, std::move(text)});
  }
  std::stable_sort(lines.begin(), lines.end(), [](const Line& a, const Line& b) {
    return a.line != b.line ? a.line < b.line : a.column < b.column;
  });
  for (const Line& l : lines) std::cout << l.text << '\n';
}

void print_problems(const std::string& file, const Answer& answer) {
  const Json body = Json::parse(answer.body, nullptr, false);
  const Json* problems = nullptr;
  if (body.is_object() && body.contains("error") && body["error"].is_object() &&
      body["error"].contains("problems")) {
    problems = &body["error"]["problems"];
  }
  if (problems == nullptr || !problems->is_array() || problems->empty()) {
    std::cout << file << ": error: " << error_message(answer) << '\n';
    return;
  }
  for (const Json& p : *problems) {
    registry::Problem problem;
    problem.file = file;
    problem.position.line = static_cast<std::uint32_t>(number_of(p, "line"));
    problem.position.column = static_cast<std::uint32_t>(number_of(p, "column"));
    problem.path = text_of(p, "path");
    problem.code = text_of(p, "code");
    problem.message = text_of(p, "message");
    problem.hint = text_of(p, "hint");
    std::cout << registry::format_problem(problem) << '\n';
  }
}

fs::path receipt_path(const std::string& file, const std::string& receipts_dir) {
  if (receipts_dir.empty()) return fs::path(file + ".tlog-proof");
  return fs::path(receipts_dir) / (fs::path(file).filename().string() + ".tlog-proof");
}

std::optional<std::string> load_token(const SubmitOptions& options, std::string& error) {
  if (options.token_file.empty() == options.token_env.empty()) {
    error = "give exactly one of --token-file and --token-env";
    return std::nullopt;
  }
  if (!options.token_env.empty()) {
    const char* value = std::getenv(options.token_env.c_str());
    if (value == nullptr) {
      error = "the environment variable " + options.token_env + " is not set";
      return std::nullopt;
    }
    return token_from_text(value, "the environment variable " + options.token_env, error);
  }
  std::string warning;
  auto token = read_token_file(options.token_file, error, &warning);
  if (!warning.empty()) std::cerr << "candor submit: warning: " << warning << '\n';
  return token;
}

std::optional<Poco::URI> endpoint_of(const std::string& server, std::string& error) {
  Poco::URI uri;
  try {
    uri = Poco::URI(server);
  } catch (const Poco::Exception&) {
    error = server + " is not a URL; give the server as https://HOST[:PORT]";
    return std::nullopt;
  }
  if ((uri.getScheme() != "http" && uri.getScheme() != "https") || uri.getHost().empty()) {
    error = server + " is not an http:// or https:// URL; give the server as https://HOST[:PORT]";
    return std::nullopt;
  }
  if (!uri.getQuery().empty() || !uri.getFragment().empty()) {
    error = server + ": the server's URL has no query or fragment";
    return std::nullopt;
  }
  std::string path = uri.getPath();
  if (path.empty() || path.back() != '/') path += '/';
  uri.setPath(path + "api/v1/records");
  return uri;
}

}  // namespace

int run_submit(const SubmitOptions& options) {
  constexpr const char* command = "candor submit";
  std::string error;
  const auto endpoint = endpoint_of(options.server, error);
  if (!endpoint) {
    std::cerr << command << ": " << error << '\n';
    return k_usage;
  }
  const auto token = load_token(options, error);
  if (!token) {
    std::cerr << command << ": " << error << '\n';
    return k_usage;
  }
  InputFiles inputs = expand_inputs(options.paths);
  for (const auto& p : inputs.problems) std::cerr << registry::format_problem(p) << '\n';
  if (!inputs.problems.empty()) return k_usage;
  if (!options.receipts.empty()) {
    std::map<std::string, std::string> seen;
    for (const auto& file : inputs.files) {
      const std::string name = fs::path(file).filename().string();
      if (auto [it, fresh] = seen.emplace(name, file); !fresh) {
        std::cerr << command << ": " << it->second << " and " << file << " would both write "
                  << name << ".tlog-proof into " << options.receipts
                  << "; submit them in separate runs\n";
        return k_usage;
      }
    }
    std::error_code ec;
    fs::create_directories(options.receipts, ec);
    if (ec) {
      std::cerr << command << ": cannot create " << options.receipts << ": " << ec.message()
                << '\n';
      return k_usage;
    }
  }

  Client client(*endpoint, options.server, *token);
  std::size_t accepted = 0, unchanged = 0, rejected = 0;
  Progress progress("submitting");
  std::size_t done = 0;
  try {
    for (const std::string& file : inputs.files) {
      progress.update(done++, inputs.files.size());
      auto yaml = read_text_file(file, k_max_record_bytes, error);
      if (!yaml) {
        std::cout << file << ": error: the file cannot be submitted: " << error << '\n';
        ++rejected;
        continue;
      }
      Answer answer = client.post(*yaml);
      for (int retry = 0; answer.status == 429 && retry < k_rate_limit_retries; ++retry) {
        const long wait = std::clamp(std::atol(answer.retry_after.c_str()), 1L, 3600L);
        if (wait > k_max_retry_wait_seconds) break;
        std::cerr << command << ": the server asks to slow down; waiting " << wait << " s\n";
        std::this_thread::sleep_for(std::chrono::seconds(wait));
        answer = client.post(*yaml);
      }
      switch (answer.status) {
        case 200:
        case 201: {
          const Json body = Json::parse(answer.body, nullptr, false);
          if (!body.is_object() || text_of(body, "receipt").empty()) {
            throw Fatal{"the server at " + options.server +
                        " answered without a receipt; is it a Candor server?"};
          }
          print_findings(file, body.value("findings", Json::array()));
          const fs::path receipt = receipt_path(file, options.receipts);
          if (!replace_file(receipt, text_of(body, "receipt"), error)) {
            throw Fatal{file + " was logged, but its receipt " + receipt.string() +
                        " cannot be written: " + error};
          }
          const bool duplicate = body.value("duplicate", false);
          (duplicate ? unchanged : accepted) += 1;
          std::cout << file << ": " << (duplicate ? "unchanged, already " : "accepted as ")
                    << text_of(body, "organisation") << '/' << text_of(body, "record_id")
                    << " version " << number_of(body, "version") << " (log entry "
                    << number_of(body, "leaf_index") << "), compliance "
                    << text_of(body, "compliance") << "; receipt " << receipt.string() << '\n';
          break;
        }
        case 403:
        case 413:
        case 415:
        case 422:
          print_problems(file, answer);
          std::cout << file << ": rejected by the server\n";
          ++rejected;
          break;
        case 401:
          throw Fatal{"the server at " + options.server + " refused the token: " +
                      error_message(answer) + " Check the token, or ask the operator for one"};
        case 429:
          throw Fatal{"the server at " + options.server +
                      " is limiting submissions: " + error_message(answer) + " Run again later"};
        case 404:
        case 405:
          throw Fatal{options.server + " has no submission endpoint (" + endpoint->toString() +
                      " answered HTTP " + std::to_string(answer.status) +
                      "); check --server points at a Candor server"};
        default:
          throw Fatal{"the server at " + options.server + " could not take " + file + ": " +
                      error_message(answer) + " (HTTP " + std::to_string(answer.status) + ")"};
      }
    }
    progress.update(done, inputs.files.size());
    progress.finish();
  } catch (const Fatal& fatal) {
    progress.finish();
    std::cerr << command << ": " << fatal.message << '\n';
    return k_usage;
  }
  const std::size_t files = inputs.files.size();
  std::cout << files << (files == 1 ? " file: " : " files: ") << accepted << " accepted, "
            << unchanged << " unchanged, " << rejected << " rejected by " << options.server << '\n';
  return rejected == 0 ? k_clean : k_findings;
}

void add_submit_command(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<SubmitOptions>();
  CLI::App* cmd = app.add_subcommand(
      "submit",
      "Submit records to a Candor server with a bearer token; print its findings and save each "
      "receipt (FILE.tlog-proof).\nExit status: 0 all accepted or unchanged, 1 some record "
      "rejected, 2 usage, token, connection or server error.");
  cmd->add_option("paths", options->paths, "Record files, or directories searched for *.yaml/*.yml")
      ->required();
  cmd->add_option("--server", options->server, "The server, e.g. https://register.example.gov.uk")
      ->required();
  cmd->add_option("--token-file", options->token_file,
                  "File holding the token (from candor token create); keep it chmod 600");
  cmd->add_option("--token-env", options->token_env,
                  "Environment variable holding the token (for CI secrets)");
  cmd->add_option("--receipts", options->receipts,
                  "Write receipts into this directory instead of beside the records");
  cmd->callback([options, &exit_code] { exit_code = run_submit(*options); });
}

}  // namespace candor::cli

// The crash test's victim: appends records to a register forever, from several threads, and
// after each acknowledgement writes one line to standard output:
//
//   ack <organisation> <record id> <version> <leaf index> <body hash hex>
//
// A line is written with a single write(2) of less than PIPE_BUF bytes, so lines from different
// threads never interleave, and only after Intake acknowledged the submission, i.e. after its
// transaction committed. The test SIGKILLs this process at random moments and then checks that
// every acknowledged line is in the register. Usage: candor_store_crash_writer DB TAG
#include <unistd.h>

#include <iostream>
#include <thread>
#include <vector>

#include "store_test_support.h"

namespace {

using namespace candor::registry;
using namespace candor::registry::test;

constexpr int k_threads = 4;
constexpr int k_records_per_thread = 3;

void write_line(const std::string& line) {
  std::string_view rest = line;
  while (!rest.empty()) {
    const ssize_t n = ::write(1, rest.data(), rest.size());
    if (n <= 0) std::_Exit(3);  // the test is gone: nothing to report to
    rest.remove_prefix(static_cast<std::size_t>(n));
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: candor_store_crash_writer DB TAG\n";
    return 2;
  }
  try {
    auto store = open_initialised(argv[1]);
    Intake intake(*store, test_signer());
    const std::string tag = argv[2];
    std::vector<std::thread> threads;
    for (int t = 0; t < k_threads; ++t) {
      threads.emplace_back([&, t] {
        const std::string org = "crash-org-" + std::to_string(t % 2);
        for (long i = 0;; ++i) {
          const std::string id =
              "t" + std::to_string(t) + "-r" + std::to_string(i % k_records_per_thread);
          const std::string variant = "run " + tag + " step " + std::to_string(i);
          auto result =
              intake.submit(prepare(small_record(org, id, variant)), Submitter{org, "crash-writer"})
                  .get();
          if (!result.ok()) std::_Exit(4);
          const RecordVersion& v = result.value().version;
          write_line("ack " + v.organisation + " " + v.record_id + " " + std::to_string(v.version) +
                     " " + std::to_string(v.leaf_index) + " " + to_hex(v.body_hash) + "\n");
        }
      });
    }
    for (auto& th : threads) th.join();
  } catch (const std::exception& e) {
    std::cerr << "crash writer: " << e.what() << '\n';
    return 1;
  }
  return 0;
}

// A one-line progress counter on standard error, shown only when standard error is a terminal
// (CI logs and redirected output get nothing). Redraws at most every 1% and at the end.
#pragma once

#include <unistd.h>

#include <cstddef>
#include <iostream>
#include <string>

namespace candor::cli {

class Progress {
 public:
  explicit Progress(std::string what) : what_(std::move(what)), enabled_(::isatty(2) == 1) {}
  ~Progress() { finish(); }
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  void update(std::size_t done, std::size_t total) {
    if (!enabled_ || total == 0) return;
    const std::size_t step = total / 100 + 1;
    if (done != total && done - shown_ < step && shown_ != 0) return;
    shown_ = done;
    std::cerr << '\r' << what_ << ": " << done << '/' << total << std::flush;
    drawn_ = true;
  }
  void finish() {
    if (drawn_) std::cerr << '\n' << std::flush;
    drawn_ = false;
  }

 private:
  std::string what_;
  bool enabled_;
  bool drawn_ = false;
  std::size_t shown_ = 0;
};

}  // namespace candor::cli

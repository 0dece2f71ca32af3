// Runs a program for the CLI tests: fork and execv (no shell, no PATH search), standard input from
// /dev/null, standard output and standard error captured through pipes and drained together with
// poll() so a child that fills one pipe while we wait on the other cannot deadlock.
#pragma once

#include <string>
#include <vector>

namespace candor::test {

struct ProcessResult {
  int exit_code = -1;         // the child's exit status, or -1 if it was killed by a signal
  int signal = 0;             // the signal that killed it, 0 if it exited
  std::string out;            // everything written to standard output
  std::string err;            // everything written to standard error
  long peak_rss_kib = 0;      // wait4()'s ru_maxrss for the child, in KiB (see below)
  long parent_rss_kib = 0;    // this process's resident set just before fork, in KiB
};

// Runs argv[0] (a path) with the arguments argv[1..]. The environment is inherited (so sanitizer
// options reach the child). Throws std::runtime_error if the process cannot be started at all; a
// program that fails to exec reports exit code 127 and a message on `err`.
//
// About peak_rss_kib: Linux gives the child, at fork, a copy of the parent's page tables and
// counts those pages towards the child's high-water mark, which exec keeps. The value can thus
// include part of the test process's own resident set (parent_rss_kib): it is an upper bound on
// the child's own peak, so a test asserting "stays under N" is never fooled, but the test process
// must itself stay well under N: do not build large inputs in memory.
ProcessResult run_process(const std::vector<std::string>& argv);

}  // namespace candor::test

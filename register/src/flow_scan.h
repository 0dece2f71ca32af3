// A quick scan of YAML flow-collection nesting ("[" and "{"), done before yaml-cpp parses.
//
// yaml-cpp's scanner tokenises a whole run of flow brackets before the parser reaches the first
// of them, so the depth limit enforced while building the Document comes too late to bound
// memory for "[[[[[...". This scan finds such nesting in one pass with no allocation beyond a
// small stack. It follows YAML's lexical rules closely enough for that purpose (quoted scalars,
// comments, block scalars, indicators at the start of a value); it decides nothing else.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace candor::registry {

struct FlowScan {
  bool too_deep = false;
  std::size_t offset = 0;           // the bracket that went past the limit
  std::string closers;              // "]}]..." closing every bracket open at `offset`, innermost
                                    // first: text[0..offset] + closers is well-formed flow
  bool unclosed = false;
  std::size_t unclosed_offset = 0;  // the innermost bracket still open at the end of the text
};

FlowScan scan_flow_nesting(std::string_view text, unsigned max_depth);

}  // namespace candor::registry

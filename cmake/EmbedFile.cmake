# Script mode: writes OUT, a C++ source defining candor::embedded::SYMBOL() with the bytes of IN.
# Bytes are written as hex so that any content (quotes, backslashes, raw-string delimiters) is safe.
file(READ "${IN}" hex HEX)
string(LENGTH "${hex}" hex_len)
math(EXPR size "${hex_len} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "'\\\\x\\1'," body "${hex}")
string(REGEX REPLACE "(('\\\\x[0-9a-f][0-9a-f]',){32})" "\\1\n" body "${body}")
file(WRITE "${OUT}" "// Generated from ${IN}; do not edit.\n#include <string_view>\n"
  "namespace candor::embedded {\nstatic const char k_${SYMBOL}[] = {\n${body}'\\0'};\n"
  "std::string_view ${SYMBOL}() { return {k_${SYMBOL}, ${size}}; }\n}\n")

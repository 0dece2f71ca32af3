// Fuzz target: `candor import`. The same bytes are imported as each source (the US inventory
// CSV, the Dutch register's export and the UK ATRS listing), so one corpus file exercises the
// CSV or JSON reader, the mapping and the YAML writer of all three. Every record an importer
// returns is loaded and validated by the importer itself before it is returned.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "candor/importers/importer.h"

using namespace candor::importers;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  ImportOptions options;
  options.imported_on = "2026-11-27";  // fixed: the output must not depend on the day
  options.input_name = "fuzz-input";
  for (const Source source : {Source::us_omb_2025, Source::nl_algoritmeregister, Source::uk_atrs}) {
    const ImportReport report = import_register(source, text, "fuzz-input", options);
    // The importer's own contract (importer.h): every row read is a record or a rejection.
    if (report.rows_read != report.records.size() + report.rejected.size()) __builtin_trap();
  }
  return 0;
}

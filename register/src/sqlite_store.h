// SqliteStore: the Store on one SQLite file through Poco::Data::SQLite (contract in store.h and
// sqlite.h). Private to the register: callers use open_sqlite_store().
//
// Connections: one writer session, used only by the WriteTransaction that holds write_mutex_;
// a pool of read-only sessions leased per read call (Poco sessions are not shared between
// threads); and one session on which a background thread checkpoints the WAL. Every Poco exception
// leaving a public method becomes a StoreError.
#pragma once

#include <filesystem>
#include <memory>
#include <mutex>
#include <vector>

#include <Poco/Data/Session.h>

#include "candor/registry/sqlite.h"
#include "candor/registry/store.h"

namespace candor::registry {

class WriterCache;

class SqliteStore final : public Store {
 public:
  SqliteStore(const std::filesystem::path& path, const SqliteOptions& options);
  ~SqliteStore() override;

  int schema_version() override;
  std::optional<LogSettings> log_settings() override;
  std::optional<Organisation> organisation(std::string_view id) override;
  std::vector<Organisation> organisations() override;
  std::optional<Token> token(const Hash& token_hash) override;
  std::vector<RecordVersion> versions(std::string_view organisation,
                                      std::string_view record_id) override;
  std::optional<RecordVersion> version_at_leaf(std::uint64_t leaf_index) override;
  std::vector<Review> reviews(std::string_view organisation, std::string_view record_id) override;
  std::optional<Review> review_at_leaf(std::uint64_t leaf_index) override;
  std::optional<std::string> body(const Hash& body_hash) override;
  std::optional<std::string> source(const Hash& source_hash) override;
  void for_each_current_failing_rule_set(
      const std::function<void(const FailingRuleSet&)>& visit) override;
  std::optional<Findings> findings(std::string_view organisation, std::string_view record_id,
                                   std::uint64_t version) override;
  std::optional<CurrentRecord> current_record(std::string_view organisation,
                                              std::string_view record_id) override;
  std::vector<CurrentRecord> current_records(const RecordFilter& filter) override;
  Result<std::vector<SearchHit>> search(const SearchQuery& query) override;
  Result<RecordSearchResult> find_records(const RecordSearch& search) override;
  std::vector<RecordVersion> recent_versions(std::optional<std::string_view> organisation,
                                             std::size_t limit) override;
  std::uint64_t log_size() override;
  std::vector<std::string> log_entries(std::uint64_t begin, std::uint64_t end) override;
  std::vector<Hash> read_hashes(std::span<const NodeId> nodes) override;
  std::optional<StoredCheckpoint> latest_checkpoint() override;
  std::optional<StoredCheckpoint> checkpoint(std::uint64_t size) override;
  std::optional<StoredCheckpoint> checkpoint_covering(std::uint64_t leaf_index) override;
  std::vector<AuditEvent> audit_events(std::uint64_t after_id, std::size_t limit) override;
  std::uint64_t row_count(StoreTable table) override;
  void export_rows(const std::function<void(StoreTable, const StoreRow&)>& visit) override;
  std::unique_ptr<WriteTransaction> begin_write() override;
  bool read_only() const override;

 private:
  class Lease;
  Poco::Data::Session open_session(bool writer) const;
  void migrate();
  void check_schema_read_only();  // what migrate() would refuse, and a schema it would change

  std::filesystem::path path_;
  SqliteOptions options_;
  std::mutex write_mutex_;  // one WriteTransaction at a time
  std::unique_ptr<Poco::Data::Session> writer_;
  std::unique_ptr<WriterCache> writer_cache_;  // statements on writer_; destroyed before it
  class Checkpointer;
  std::unique_ptr<Checkpointer> checkpointer_;  // watches writer_'s WAL; stopped before it closes
  std::mutex pool_mutex_;
  std::vector<std::unique_ptr<Poco::Data::Session>> idle_readers_;
};

}  // namespace candor::registry

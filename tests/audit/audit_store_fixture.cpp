#include "audit/audit_store_fixture.hpp"

#include <map>
#include <vector>

#include "stella/host/audit/audit_log.hpp"

namespace stella::test {

std::string sample_audit_data(std::string_view type) {
  static const std::map<std::string, std::string, std::less<>> samples = {
      {host::audit_type::kMigrationStart, R"({"from_version": "1.0", "to_version": "2.0"})"},
      {host::audit_type::kSchemaChange,
       R"({"before_version": "1.0", "after_version": "1.1", "step": "schema-v1-1"})"},
      {host::audit_type::kRootHashChange, R"({"old_root": "sha256:)" + std::string(64, 'a') +
                                              R"(", "new_root": "sha512:)" + std::string(128, 'b') +
                                              R"(", "cross_reference": {"generation": 2}})"},
      {host::audit_type::kVerification,
       R"({"result": "pass", "anomalies": [], "started_at": "2026-01-02T03:04:05Z", )"
       R"("finished_at": "2026-01-02T03:09:05Z"})"},
      {host::audit_type::kRollback, R"({"reason": "step 2 failed", "restored_version": "1.0"})"},
  };
  const auto found = samples.find(type);
  return found == samples.end() ? R"({"note": "free-form data", "count": 3})" : found->second;
}

const std::vector<std::string>& every_audit_type() {
  static const std::vector<std::string> types = {
      host::audit_type::kMigrationStart, host::audit_type::kSchemaChange,
      host::audit_type::kRootHashChange, host::audit_type::kVerification,
      host::audit_type::kRollback,       host::audit_type::kStoreInit,
      host::audit_type::kSeed,           host::audit_type::kConfigChange};
  return types;
}

AuditStore::AuditStore()
    : database_("audit"), connection_(host::PgConnection::connect(database_.conninfo())) {
  host::ensure_state_schema(*connection_);
}

std::int64_t AuditStore::append(std::string_view type, const std::string& data,
                                std::string_view operator_name) {
  host::PgTransaction transaction(*connection_);
  const std::int64_t id = host::append_audit_event(*connection_, type, operator_name, data);
  transaction.commit();
  return id;
}

std::int64_t AuditStore::append_at(std::string_view type, const std::string& data,
                                   std::string_view occurred_at) {
  host::PgTransaction transaction(*connection_);
  const std::int64_t id =
      host::append_audit_event_at(*connection_, type, kTestOperator, data, occurred_at);
  transaction.commit();
  return id;
}

void AuditStore::tamper(const std::string& sql) {
  connection_->execute_script(
      "BEGIN;"
      "ALTER TABLE stella.audit_events DISABLE TRIGGER USER;"
      "ALTER TABLE stella.audit_pruned DISABLE TRIGGER USER;" +
      sql +
      ";ALTER TABLE stella.audit_events ENABLE TRIGGER USER;"
      "ALTER TABLE stella.audit_pruned ENABLE TRIGGER USER;"
      "COMMIT;");
}

std::string AuditStore::scalar(const std::string& sql) {
  const host::PgResult result = connection_->exec(sql);
  return result.get_optional(0, 0).value_or("");
}

}  // namespace stella::test

// Appenders on separate connections serialize on the chain head and form one valid chain.
#include <boost/test/unit_test.hpp>

#include <atomic>
#include <thread>

#include "audit/audit_store_fixture.hpp"
#include "stella/host/audit/audit_chain_verifier.hpp"
#include "stella/host/audit/audit_log.hpp"
#include "stella/sdk/error.hpp"

namespace {

namespace host = stella::host;
using stella::test::AuditStore;

constexpr int kWriters = 2;
constexpr int kEventsPerWriter = 40;

}  // namespace

BOOST_AUTO_TEST_SUITE(audit_concurrency)

BOOST_AUTO_TEST_CASE(concurrent_appends_from_two_connections_form_one_chain) {
  AuditStore store;
  std::atomic<int> ready{0};
  std::vector<std::string> failures(kWriters);
  std::vector<std::thread> writers;
  for (int writer = 0; writer < kWriters; ++writer) {
    writers.emplace_back([&, writer] {
      try {
        auto connection = host::PgConnection::connect(store.conninfo());
        // Start together so the appends really contend for the head.
        ++ready;
        while (ready.load() < kWriters) {
          std::this_thread::yield();
        }
        for (int i = 0; i < kEventsPerWriter; ++i) {
          host::PgTransaction transaction(*connection);
          host::append_audit_event(
              *connection, host::audit_type::kSeed, "writer" + std::to_string(writer),
              R"({"writer": )" + std::to_string(writer) + R"(, "n": )" + std::to_string(i) + "}");
          transaction.commit();
        }
      } catch (const std::exception& e) {
        failures[writer] = e.what();
      }
    });
  }
  for (auto& writer : writers) {
    writer.join();
  }
  for (const auto& failure : failures) {
    BOOST_TEST(failure == "");
  }
  const auto report = host::verify_audit_chain(store.connection());
  BOOST_TEST(report.intact(), (report.problem ? report.problem->message : ""));
  BOOST_TEST(report.events == kWriters * kEventsPerWriter);
  BOOST_TEST(store.count("SELECT max(id) FROM stella.audit_events") == kWriters * kEventsPerWriter);
  for (int writer = 0; writer < kWriters; ++writer) {
    BOOST_TEST(store.count("SELECT count(DISTINCT data->>'n') FROM stella.audit_events WHERE "
                           "operator = 'writer" +
                           std::to_string(writer) + "'") == kEventsPerWriter);
  }
}

BOOST_AUTO_TEST_CASE(verify_inside_a_read_committed_transaction_sees_a_consistent_chain) {
  AuditStore store;
  store.append("store_init", "{}");
  auto writer = host::PgConnection::connect(store.conninfo());
  host::PgTransaction reading(store.connection());
  const auto report = host::verify_audit_chain(store.connection());
  BOOST_TEST(report.intact());
  // The verifier holds the head FOR SHARE until this transaction ends: a writer cannot slip an
  // event in between (it would wait), which a lock timeout shows without any timing assertion.
  writer->exec("SET lock_timeout = '100ms'");
  host::PgTransaction writing(*writer);
  BOOST_CHECK_THROW(host::append_audit_event(*writer, "seed", "w", "{}"), stella::sdk::Error);
}

BOOST_AUTO_TEST_SUITE_END()

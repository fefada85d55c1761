// reindex_floor CONNINFO ALGORITHM TABLE
//
// Streams (bundle_id, path, content) of every artifact of a schema 2.0 store out with
// COPY ... TO STDOUT (FORMAT binary) on one connection, hashes each content with OpenSSL EVP, and
// streams (bundle_id, path, "alg:hex") into TABLE (created here, no index, no constraint) with
// COPY ... FROM STDIN on a second connection, in one pass. It prints the rows written. This is the
// floor reindex_bench.sh compares `stella evidence reindex` with: nothing it does can be skipped.
#include <libpq-fe.h>
#include <openssl/evp.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

namespace {

constexpr int kExitUsage = 2;
constexpr int kExitFailure = 3;
constexpr std::size_t kSendBufferBytes = 1 << 20;
constexpr std::size_t kCopyHeaderBytes = 19;
constexpr int kFields = 3;

[[noreturn]] void fail(const std::string& what, PGconn* connection) {
  std::fprintf(stderr, "reindex_floor: %s: %s\n", what.c_str(),
               connection != nullptr ? PQerrorMessage(connection) : "");
  std::exit(kExitFailure);
}

PGconn* connect(const char* conninfo) {
  PGconn* connection = PQconnectdb(conninfo);
  if (PQstatus(connection) != CONNECTION_OK) {
    fail("cannot connect", connection);
  }
  return connection;
}

void exec(PGconn* connection, const std::string& sql, ExecStatusType expected) {
  PGresult* result = PQexec(connection, sql.c_str());
  if (PQresultStatus(result) != expected) {
    fail(sql, connection);
  }
  PQclear(result);
}

std::uint32_t read_u32(const char* bytes) {
  std::uint32_t value = 0;
  std::memcpy(&value, bytes, sizeof value);
  return __builtin_bswap32(value);
}

/// Appends a field to a COPY text row, escaping what would end it.
void append_field(std::string& row, const char* data, std::size_t size) {
  for (std::size_t i = 0; i < size; ++i) {
    switch (data[i]) {
      case '\\':
        row += "\\\\";
        break;
      case '\t':
        row += "\\t";
        break;
      case '\n':
        row += "\\n";
        break;
      case '\r':
        row += "\\r";
        break;
      default:
        row.push_back(data[i]);
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: reindex_floor CONNINFO ALGORITHM TABLE\n");
    return kExitUsage;
  }
  const std::string algorithm = argv[2];
  const std::string table = argv[3];
  EVP_MD* md = EVP_MD_fetch(nullptr, algorithm.c_str(), nullptr);
  if (md == nullptr) {
    std::fprintf(stderr, "reindex_floor: OpenSSL does not know digest %s\n", algorithm.c_str());
    return kExitUsage;
  }
  PGconn* source = connect(argv[1]);
  PGconn* target = connect(argv[1]);
  exec(target, "DROP TABLE IF EXISTS " + table, PGRES_COMMAND_OK);
  exec(target, "CREATE TABLE " + table + " (bundle_id text, path text, digest text)",
       PGRES_COMMAND_OK);
  exec(target, "COPY " + table + " (bundle_id, path, digest) FROM STDIN", PGRES_COPY_IN);
  exec(source,
       "COPY (SELECT a.bundle_id, a.path, c.content FROM evidence.artifacts a "
       "JOIN evidence.contents c ON c.content_address = a.content_address) "
       "TO STDOUT (FORMAT binary)",
       PGRES_COPY_OUT);

  EVP_MD_CTX* context = EVP_MD_CTX_new();
  unsigned char digest[EVP_MAX_MD_SIZE];
  static const char kHex[] = "0123456789abcdef";
  std::string buffer;
  buffer.reserve(kSendBufferBytes + kSendBufferBytes / 4);
  long long rows = 0;
  bool header = true;
  while (true) {
    char* message = nullptr;
    const int length = PQgetCopyData(source, &message, 0);
    if (length == -1) {
      break;
    }
    if (length < 0) {
      fail("COPY out", source);
    }
    const char* at = message;
    if (header) {
      at += kCopyHeaderBytes;
      header = false;
    }
    const auto fields = static_cast<std::int16_t>((static_cast<unsigned char>(at[0]) << 8) |
                                                  static_cast<unsigned char>(at[1]));
    if (fields == kFields) {
      at += 2;
      const char* values[kFields];
      std::uint32_t sizes[kFields];
      for (int f = 0; f < kFields; ++f) {
        sizes[f] = read_u32(at);
        values[f] = at + 4;
        at += 4 + sizes[f];
      }
      unsigned int digest_size = 0;
      EVP_DigestInit_ex2(context, md, nullptr);
      EVP_DigestUpdate(context, values[2], sizes[2]);
      EVP_DigestFinal_ex(context, digest, &digest_size);
      append_field(buffer, values[0], sizes[0]);
      buffer.push_back('\t');
      append_field(buffer, values[1], sizes[1]);
      buffer.push_back('\t');
      buffer += algorithm;
      buffer.push_back(':');
      for (unsigned int i = 0; i < digest_size; ++i) {
        buffer.push_back(kHex[digest[i] >> 4]);
        buffer.push_back(kHex[digest[i] & 0x0f]);
      }
      buffer.push_back('\n');
      ++rows;
      if (buffer.size() >= kSendBufferBytes) {
        if (PQputCopyData(target, buffer.data(), static_cast<int>(buffer.size())) != 1) {
          fail("COPY in", target);
        }
        buffer.clear();
      }
    }
    PQfreemem(message);
  }
  PGresult* done = PQgetResult(source);
  if (PQresultStatus(done) != PGRES_COMMAND_OK) {
    fail("COPY out", source);
  }
  PQclear(done);
  if (!buffer.empty() &&
      PQputCopyData(target, buffer.data(), static_cast<int>(buffer.size())) != 1) {
    fail("COPY in", target);
  }
  if (PQputCopyEnd(target, nullptr) != 1) {
    fail("COPY in", target);
  }
  PGresult* stored = PQgetResult(target);
  if (PQresultStatus(stored) != PGRES_COMMAND_OK) {
    fail("COPY in", target);
  }
  PQclear(stored);
  EVP_MD_CTX_free(context);
  EVP_MD_free(md);
  PQfinish(source);
  PQfinish(target);
  std::printf("%lld\n", rows);
  return 0;
}

// --generation / --algorithm for the reading verbs.
#include "stella/host/reindex/generation_choice.hpp"

#include "stella/sdk/error.hpp"

namespace po = boost::program_options;

namespace stella::host {
namespace {

std::string generations_text(const std::vector<DigestGeneration>& generations) {
  std::string text;
  for (const DigestGeneration& generation : generations) {
    text += (text.empty() ? "" : ", ") + std::to_string(generation.generation) + " (" +
            generation.algorithm + (generation.active ? ", active" : "") + ")";
  }
  return text;
}

}  // namespace

void add_generation_options(po::options_description& options, bool with_algorithm) {
  options.add_options()("generation", po::value<int>()->value_name("N"),
                        "read digest generation N instead of the active one (an earlier "
                        "generation stays checkable after a reindex)");
  if (with_algorithm) {
    options.add_options()("algorithm", po::value<std::string>()->value_name("ID"),
                          "read the newest sealed generation of hash algorithm ID (e.g. sha256 "
                          "after a reindex to sha512)");
  }
}

std::unique_ptr<StoreLayout> layout_for_chosen_generation(PgConnection& connection,
                                                          std::unique_ptr<StoreLayout> layout,
                                                          const po::variables_map& options) {
  const bool by_number = options.count("generation") > 0;
  const bool by_algorithm = options.count("algorithm") > 0;
  if (by_number && by_algorithm) {
    throw sdk::Error(sdk::ErrorCode::invalid_input,
                     "--generation and --algorithm were both given; expected one of them",
                     "use --generation N, or --algorithm ID for the newest generation of ID");
  }
  if (by_number) {
    return layout->reading_generation(connection, options["generation"].as<int>());
  }
  if (!by_algorithm) {
    return layout;
  }
  const std::string algorithm = options["algorithm"].as<std::string>();
  const std::vector<DigestGeneration> generations = layout->generations(connection);
  std::optional<int> chosen;
  bool chosen_sealed = false;
  for (const DigestGeneration& generation : generations) {
    if (generation.algorithm != algorithm) {
      continue;
    }
    // Schema 1.0 has one generation, sealed by nature; 2.0 records the state.
    const bool sealed =
        layout->schema_version() == "1.0" ||
        connection
                .exec("SELECT state FROM evidence.digest_generations WHERE generation = $1",
                      {std::to_string(generation.generation)})
                .get(0, 0) == "sealed";
    if (!chosen || sealed || !chosen_sealed) {
      chosen = generation.generation;
      chosen_sealed = sealed;
    }
  }
  if (!chosen) {
    throw sdk::Error(sdk::ErrorCode::invalid_input,
                     "the store has no digest generation of algorithm " + algorithm +
                         "; its generations: " + generations_text(generations),
                     "name one of their algorithms, or a generation with --generation N");
  }
  return layout->reading_generation(connection, *chosen);
}

}  // namespace stella::host

// `stella plugins keygen|pack|verify|install`: release engineering's verbs for signed plugin packs.
#include <ostream>

#include "cli/command_registrars.hpp"
#include "packs/pack_command_parts.hpp"
#include "stella/host/cli/exit_codes.hpp"
#include "stella/host/json/json_write.hpp"
#include "stella/host/packs/pack_builder.hpp"
#include "stella/host/packs/pack_installer.hpp"
#include "stella/host/packs/pack_verification.hpp"
#include "stella/host/packs/signing_keys.hpp"
#include "stella/host/plugins/plugin_names.hpp"
#include "stella/host/plugins/plugin_registry.hpp"
#include "stella/sdk/error.hpp"

namespace po = boost::program_options;

namespace stella::host {
namespace {

constexpr const char* kDefaultKeyName = "stella-pack-signing";
constexpr const char* kDefaultPackId = "stella-plugins";

std::string required_option(const Invocation& invocation, const char* name, const char* verb) {
  if (!invocation.options.count(name)) {
    throw sdk::Error(sdk::ErrorCode::invalid_input,
                     std::string("'stella plugins ") + verb + "' needs --" + name,
                     std::string("run 'stella plugins ") + verb + " --help'");
  }
  return invocation.options[name].as<std::string>();
}

std::string one_positional(const Invocation& invocation, const char* verb, const char* what) {
  if (invocation.positional.size() != 1) {
    throw sdk::Error(sdk::ErrorCode::invalid_input,
                     std::string("'stella plugins ") + verb + "' needs exactly one " + what +
                         "; found " + std::to_string(invocation.positional.size()) + " arguments",
                     std::string("run 'stella plugins ") + verb + " " + what + "'");
  }
  return invocation.positional.front();
}

std::optional<std::filesystem::path> trusted_keys(const Invocation& invocation) {
  if (!invocation.globals.trusted_keys) {
    return std::nullopt;
  }
  return std::filesystem::path(*invocation.globals.trusted_keys);
}

int run_keygen(Invocation& invocation) {
  const std::string directory = required_option(invocation, "output-dir", "keygen");
  const std::string name = invocation.options.count("name")
                               ? invocation.options["name"].as<std::string>()
                               : std::string(kDefaultKeyName);
  const GeneratedKeyPair pair = generate_signing_key_pair(directory, name);
  invocation.out << "private key: " << pair.private_key.string() << " (mode 0600; keep it secret)\n"
                 << "public key:  " << pair.public_key.string()
                 << " (give it to operators for their --trusted-keys folder)\n"
                 << "key id:      " << pair.key_id << '\n';
  return kExitSuccess;
}

int run_pack(Invocation& invocation) {
  PackRequest request;
  request.output = required_option(invocation, "output", "pack");
  request.private_key = required_option(invocation, "key", "pack");
  request.pack_id = invocation.options.count("pack-id")
                        ? invocation.options["pack-id"].as<std::string>()
                        : std::string(kDefaultPackId);
  request.product_version = invocation.options.count("product-version")
                                ? invocation.options["product-version"].as<std::string>()
                                : std::string(STELLA_VERSION);
  if (invocation.positional.empty()) {
    throw sdk::Error(sdk::ErrorCode::invalid_input,
                     "'stella plugins pack' needs at least one PLUGIN_DIR; found none",
                     "pass plugin folders (each with manifest.json) or a folder of them, e.g. "
                     "build/lib/stella/plugins");
  }
  for (const auto& directory : invocation.positional) {
    request.plugin_directories.emplace_back(directory);
  }
  const BuiltPack pack = build_pack(request);
  if (!invocation.globals.quiet) {
    // Defaults that silently made a third-party pack look like the product's, or a version
    // nobody checks, are said out loud.
    if (invocation.options.count("pack-id") == 0) {
      invocation.err << "stella: note: the pack id is " << kDefaultPackId
                     << ", the default and the id of stella's own plugins' pack (plugins matrix "
                        "shows packs of one id as one); give --pack-id to name yours\n";
    }
    if (request.product_version != STELLA_VERSION) {
      invocation.err << "stella: note: the pack says it is for stella " << request.product_version
                     << "; this stella is " << STELLA_VERSION
                     << ". The version is shown, not enforced: the pack installs on every stella "
                        "of ABI "
                     << sdk::kAbiVersion << '\n';
    }
  }
  invocation.out << "wrote " << request.output.string() << ": pack " << pack.manifest.pack_id
                 << " for stella " << pack.manifest.product_version << " (ABI " << pack.manifest.abi
                 << "), " << pack.manifest.plugins.size() << " plugins, signed by " << pack.key_id
                 << '\n';
  for (const auto& plugin : pack.manifest.plugins) {
    invocation.out << "  " << plugin.manifest.id << ' ' << plugin.manifest.version << " ("
                   << plugin_kind_name(plugin.manifest.kind) << ": "
                   << describe_provides(plugin.manifest) << ")\n";
  }
  return kExitSuccess;
}

int run_verify(Invocation& invocation) {
  const std::filesystem::path archive = one_positional(invocation, "verify", "PACK");
  const bool json = pack_output_is_json(invocation, "verify");
  const PackContents contents = read_pack_archive(archive);
  const PackVerification verification = verify_pack(contents, trusted_keys(invocation));
  if (json) {
    invocation.out << json_to_string(pack_verification_json(archive, verification)) << '\n';
    return verification.problems.empty() ? kExitSuccess : kExitVerificationFailed;
  }
  if (!verification.problems.empty()) {
    std::string list;
    for (const auto& problem : verification.problems) {
      list += "\n  " + describe_pack_problem(problem);
    }
    throw sdk::Error(sdk::ErrorCode::verification_failed,
                     archive.string() + ": " + std::to_string(verification.problems.size()) +
                         " check(s) failed:" + list,
                     verification.problems.front().remedy);
  }
  const PackManifest& manifest = *verification.manifest;
  invocation.out << archive.string() << ": verified: pack " << manifest.pack_id << " for stella "
                 << manifest.product_version << " (ABI " << manifest.abi << "), "
                 << manifest.plugins.size() << " plugins, signed by trusted key "
                 << verification.key_id << '\n';
  for (const auto& plugin : manifest.plugins) {
    invocation.out << "  " << plugin.manifest.id << ' ' << plugin.manifest.version << ": "
                   << plugin.files.size() << " files, every digest matches\n";
  }
  return kExitSuccess;
}

int run_install(Invocation& invocation) {
  const std::filesystem::path archive = one_positional(invocation, "install", "PACK");
  const std::filesystem::path target =
      invocation.globals.plugin_dirs.empty()
          ? plugin_install_directory()
          : std::filesystem::path(invocation.globals.plugin_dirs.front());
  const InstalledPack installed = install_pack(archive, target, trusted_keys(invocation));
  invocation.out << "installed pack " << installed.manifest.pack_id << " (stella "
                 << installed.manifest.product_version << ", signed by " << installed.key_id
                 << ") into " << target.string() << ":\n";
  for (const auto& directory : installed.plugin_directories) {
    invocation.out << "  " << directory.string() << '\n';
  }
  if (!invocation.globals.quiet) {
    invocation.err << "stella: the loader checks these plugins against their pack before every "
                      "load: pass the same --trusted-keys (or set STELLA_TRUSTED_KEYS) when you "
                      "use them\n";
  }
  return kExitSuccess;
}

}  // namespace

void register_pack_commands(CommandTable& table) {
  table.add(Command{
      "plugins", "keygen", "make an Ed25519 key pair for signing plugin packs", "", 0,
      [](po::options_description& options) {
        options.add_options()("output-dir", po::value<std::string>(),
                              "folder for NAME.key (private, mode 0600) and NAME.pem (public)")(
            "name", po::value<std::string>(),
            "file name of the pair (default stella-pack-signing)");
      },
      "Never overwrites an existing key. Give NAME.pem to operators for their trusted-keys\n"
      "folder; keep NAME.key secret.\n\n"
      "Examples:\n"
      "  stella plugins keygen --output-dir ~/keys --name release-2026\n\n"
      "Exit codes: 0 written, 2 bad option, 3 a key of that name exists.",
      run_keygen});
  table.add(Command{
      "plugins", "pack", "build a signed plugin pack from built plugin folders", "PLUGIN_DIR...",
      -1,
      [](po::options_description& options) {
        options.add_options()("output", po::value<std::string>(),
                              "the pack file to write (.tar.gz)")(
            "key", po::value<std::string>(), "the private key (.key from 'stella plugins keygen')")(
            "pack-id", po::value<std::string>(), "the pack's id (default stella-plugins)")(
            "product-version", po::value<std::string>(),
            "the stella version the pack is for (default: this stella's version)");
      },
      "Each PLUGIN_DIR is a plugin folder (with manifest.json) or a folder of plugin folders.\n"
      "Manifests are checked like the loader checks them; no plugin code runs. The pack format\n"
      "is described in docs/plugin-packs.md.\n\n"
      "Examples:\n"
      "  stella plugins pack --output stella-plugins-0.1.0.tar.gz --key release.key "
      "build/lib/stella/plugins\n\n"
      "Exit codes: 0 written, 2 bad option, key or plugin folder.",
      run_pack});
  table.add(Command{
      "plugins",
      "verify",
      "check a pack's signature, every digest and every manifest",
      "PACK",
      1,
      {},
      "The signer must be one of the *.pem keys in --trusted-keys DIR (or STELLA_TRUSTED_KEYS).\n"
      "Every failed check is named with its file. With --format json the report follows\n"
      "schemas/plugin-pack-verify.schema.json.\n\n"
      "Examples:\n"
      "  stella plugins verify stella-plugins-0.1.0.tar.gz --trusted-keys /etc/stella/keys\n\n"
      "Exit codes: 0 verified, 1 a check failed, 2 not a readable or safe pack.",
      run_verify});
  table.add(Command{
      "plugins",
      "install",
      "verify a pack, then install its plugins into the plugin directory",
      "PACK",
      1,
      {},
      "Installs into the first --plugin-dir, else the install directory next to stella. Each\n"
      "plugin folder keeps a copy of pack-manifest.json and pack-manifest.sig, and the loader\n"
      "checks them again before every load (docs/plugin-packs.md).\n\n"
      "Examples:\n"
      "  stella plugins install pack.tar.gz --trusted-keys /etc/stella/keys --plugin-dir /opt/p\n\n"
      "Exit codes: 0 installed, 1 the pack does not verify (nothing installed), 2 not a readable\n"
      "or safe pack.",
      run_install});
  add_matrix_command(table);
}

}  // namespace stella::host

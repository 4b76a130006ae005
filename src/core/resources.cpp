// Finding data files. The root is decided once, on first use, and never changes.
#include "core/resources.hpp"

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <system_error>

namespace oploop {
namespace {

std::filesystem::path find_root() {
  namespace fs = std::filesystem;
  if (const char* home = std::getenv("OPLOOP_HOME"); home && *home) return fs::path(home);

  // An installed or built binary: <root>/build/oploop or <root>/bin/oploop.
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    fs::path candidate = exe.parent_path().parent_path();
    if (fs::is_directory(candidate / "data" / "i18n", ec)) return candidate;
  }
#ifdef OPLOOP_SOURCE_DIR
  return fs::path(OPLOOP_SOURCE_DIR);
#else
  return fs::current_path();
#endif
}

}  // namespace

const std::filesystem::path& resource_root() {
  static const std::filesystem::path root = find_root();
  return root;
}

std::filesystem::path resource_path(const std::string& relative) {
  return resource_root() / relative;
}

std::string read_text_file(const std::filesystem::path& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec))
    throw std::runtime_error("not a file: " + path.string());
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open file: " + path.string());
  std::ostringstream content;
  content << in.rdbuf();
  if (in.bad()) throw std::runtime_error("cannot read file: " + path.string());
  return content.str();
}

}  // namespace oploop

// Where data files live (data/, src/web/templates, src/web/static, src/storage/migrations).
// Looked up once: $OPLOOP_HOME, else the parent of the directory holding the binary when it
// has data/i18n (build/oploop in a checkout), else the source directory it was built from.
#pragma once

#include <filesystem>
#include <string>

namespace oploop {

const std::filesystem::path& resource_root();
std::filesystem::path resource_path(const std::string& relative);
std::string read_text_file(const std::filesystem::path& path);  // throws std::runtime_error

}  // namespace oploop

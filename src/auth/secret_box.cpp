// libsodium secretbox (XSalsa20-Poly1305): a fresh random nonce per seal, stored in front of
// the ciphertext, so the same seed sealed twice looks different and any change is detected.
// The key file is published with link(2), so a concurrent first start of two processes can
// never see a half-written key: whichever link wins, both read the same 32 bytes back.
#include "auth/secret_box.hpp"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <system_error>
#include <vector>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

namespace oploop::auth {
namespace {

constexpr auto kBase64 = sodium_base64_VARIANT_URLSAFE_NO_PADDING;

void ensure_sodium() {
  static const bool ready = sodium_init() >= 0;
  if (!ready) {
    throw std::runtime_error("libsodium failed to initialise");
  }
}

[[noreturn]] void throw_errno(const std::string& what, const std::filesystem::path& path) {
  throw std::system_error(errno, std::generic_category(),
                          fmt::format("{} {}", what, path.string()));
}

// Closes the descriptor on every path out.
struct Fd {
  int fd;
  explicit Fd(int f) : fd(f) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() {
    if (fd >= 0) {
      ::close(fd);
    }
  }
};

void write_all(int fd, const unsigned char* data, std::size_t size,
               const std::filesystem::path& path) {
  while (size > 0) {
    const ssize_t n = ::write(fd, data, size);
    if (n < 0) {
      if (errno == EINTR) {
        continue;
      }
      throw_errno("cannot write", path);
    }
    data += n;
    size -= static_cast<std::size_t>(n);
  }
}

std::string read_key_file(const std::filesystem::path& path) {
  Fd file(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (file.fd < 0) {
    throw_errno("cannot open secret key file", path);
  }
  struct stat st {};
  if (::fstat(file.fd, &st) != 0) {
    throw_errno("cannot stat secret key file", path);
  }
  if (!S_ISREG(st.st_mode) || st.st_size != crypto_secretbox_KEYBYTES) {
    throw std::runtime_error(fmt::format("secret key file {} must hold exactly {} bytes",
                                         path.string(), crypto_secretbox_KEYBYTES));
  }
  if ((st.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
    spdlog::warn("secret key file {} is readable by others; chmod 600 it", path.string());
  }
  std::string key(crypto_secretbox_KEYBYTES, '\0');
  std::size_t have = 0;
  while (have < key.size()) {
    const ssize_t n = ::read(file.fd, key.data() + have, key.size() - have);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n < 0) {
      throw_errno("cannot read secret key file", path);
    }
    if (n == 0) {
      throw std::runtime_error(fmt::format("secret key file {} is shorter than {} bytes",
                                           path.string(), crypto_secretbox_KEYBYTES));
    }
    have += static_cast<std::size_t>(n);
  }
  return key;
}

// Writes a new random key to a private temporary file, then links it into place; EEXIST means
// another process (or an earlier start) won, which is fine: the caller reads whatever is there.
void create_key_file(const std::filesystem::path& path) {
  std::array<unsigned char, 8> suffix{};
  randombytes_buf(suffix.data(), suffix.size());
  std::array<char, suffix.size() * 2 + 1> hex{};
  sodium_bin2hex(hex.data(), hex.size(), suffix.data(), suffix.size());
  const std::filesystem::path temp = path.string() + ".tmp-" + hex.data();

  {
    Fd file(::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600));
    if (file.fd < 0) {
      throw_errno("cannot create secret key file", temp);
    }
    std::array<unsigned char, crypto_secretbox_KEYBYTES> key{};
    crypto_secretbox_keygen(key.data());
    try {
      write_all(file.fd, key.data(), key.size(), temp);
      if (::fsync(file.fd) != 0) {
        throw_errno("cannot fsync", temp);
      }
    } catch (...) {
      sodium_memzero(key.data(), key.size());
      ::unlink(temp.c_str());
      throw;
    }
    sodium_memzero(key.data(), key.size());
  }
  const int linked = ::link(temp.c_str(), path.c_str());
  const int link_errno = errno;
  ::unlink(temp.c_str());
  if (linked != 0 && link_errno != EEXIST) {
    errno = link_errno;
    throw_errno("cannot create secret key file", path);
  }
  // Make the new directory entry durable too, or a power cut could lose the key and with it
  // every sealed seed.
  Fd dir(::open(path.parent_path().empty() ? "." : path.parent_path().c_str(),
                O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (dir.fd >= 0) {
    ::fsync(dir.fd);
  }
}

}  // namespace

SecretBox::SecretBox(std::string key32) : key_(std::move(key32)) {
  ensure_sodium();
  if (key_.size() != crypto_secretbox_KEYBYTES) {
    throw std::invalid_argument(
        fmt::format("a secret box key must be exactly {} bytes", crypto_secretbox_KEYBYTES));
  }
}

SecretBox SecretBox::from_environment(const std::string& key_file_path) {
  ensure_sodium();
  if (const char* hex = std::getenv("OPLOOP_SECRET_KEY"); hex != nullptr) {
    const std::string_view text(hex);
    std::string key(crypto_secretbox_KEYBYTES, '\0');
    std::size_t key_len = 0;
    const char* end = nullptr;
    // The value itself is never put in the message: it is the key.
    if (text.size() != crypto_secretbox_KEYBYTES * 2 ||
        sodium_hex2bin(reinterpret_cast<unsigned char*>(key.data()), key.size(), text.data(),
                       text.size(), nullptr, &key_len, &end) != 0 ||
        key_len != crypto_secretbox_KEYBYTES || end != text.data() + text.size()) {
      throw std::runtime_error(
          "OPLOOP_SECRET_KEY must be exactly 64 hexadecimal characters (32 bytes); generate one "
          "with: head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \\n'");
    }
    return SecretBox(std::move(key));
  }

  const std::filesystem::path path(key_file_path);
  if (path.has_parent_path()) {
    std::filesystem::create_directories(path.parent_path());
  }
  std::error_code ec;
  if (!std::filesystem::exists(std::filesystem::symlink_status(path, ec))) {
    create_key_file(path);
    spdlog::info("created secret key file {}; back it up with the database", path.string());
  }
  return SecretBox(read_key_file(path));
}

std::string SecretBox::seal(const std::string& plaintext) const {
  std::vector<unsigned char> box(crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES +
                                 plaintext.size());
  randombytes_buf(box.data(), crypto_secretbox_NONCEBYTES);
  crypto_secretbox_easy(box.data() + crypto_secretbox_NONCEBYTES,
                        reinterpret_cast<const unsigned char*>(plaintext.data()), plaintext.size(),
                        box.data(), reinterpret_cast<const unsigned char*>(key_.data()));
  std::string encoded(sodium_base64_ENCODED_LEN(box.size(), kBase64), '\0');
  sodium_bin2base64(encoded.data(), encoded.size(), box.data(), box.size(), kBase64);
  encoded.resize(encoded.size() - 1);  // the terminating NUL sodium writes
  return encoded;
}

std::optional<std::string> SecretBox::open(const std::string& sealed) const {
  std::vector<unsigned char> box(sealed.size() * 3 / 4 + 1);
  std::size_t box_len = 0;
  const char* end = nullptr;
  if (sodium_base642bin(box.data(), box.size(), sealed.data(), sealed.size(), nullptr, &box_len,
                        &end, kBase64) != 0 ||
      end != sealed.data() + sealed.size() ||
      box_len < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES) {
    return std::nullopt;
  }
  std::string plain(box_len - crypto_secretbox_NONCEBYTES - crypto_secretbox_MACBYTES, '\0');
  if (crypto_secretbox_open_easy(reinterpret_cast<unsigned char*>(plain.data()),
                                 box.data() + crypto_secretbox_NONCEBYTES,
                                 box_len - crypto_secretbox_NONCEBYTES, box.data(),
                                 reinterpret_cast<const unsigned char*>(key_.data())) != 0) {
    return std::nullopt;
  }
  return plain;
}

}  // namespace oploop::auth

#include "auth/secret_box.hpp"

#include <gtest/gtest.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <stdexcept>
#include <string>

namespace oploop::auth {
namespace {

namespace fs = std::filesystem;

std::string key_of(char fill) { return std::string(32, fill); }

std::string decode(const std::string& b64) {
  std::string raw(b64.size(), '\0');
  std::size_t len = 0;
  EXPECT_EQ(sodium_base642bin(reinterpret_cast<unsigned char*>(raw.data()), raw.size(), b64.data(),
                              b64.size(), nullptr, &len, nullptr,
                              sodium_base64_VARIANT_URLSAFE_NO_PADDING),
            0);
  raw.resize(len);
  return raw;
}

std::string encode(const std::string& raw) {
  std::string out(sodium_base64_ENCODED_LEN(raw.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING),
                  '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(raw.data()),
                    raw.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  out.resize(out.size() - 1);
  return out;
}

TEST(SecretBox, RoundTrips) {
  const SecretBox box(key_of('k'));
  for (const std::string& plain : {std::string(), std::string("JBSWY3DPEHPK3PXP"),
                                   std::string("\0binair\xff", 8), std::string(10000, 'x')}) {
    const std::string sealed = box.seal(plain);
    EXPECT_EQ(box.open(sealed), plain);
  }
}

TEST(SecretBox, SealedTextIsUrlSafeBase64OfNonceAndCiphertext) {
  const SecretBox box(key_of('k'));
  const std::string sealed = box.seal("seed");
  EXPECT_EQ(
      sealed.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
      std::string::npos);
  EXPECT_EQ(decode(sealed).size(), 24u + 16u + 4u);  // nonce + MAC + plaintext
  EXPECT_EQ(sealed.find("seed"), std::string::npos);
}

TEST(SecretBox, UsesAFreshNonceEachTime) {
  const SecretBox box(key_of('k'));
  EXPECT_NE(box.seal("same seed"), box.seal("same seed"));
}

TEST(SecretBox, DetectsAnyChangedByte) {
  const SecretBox box(key_of('k'));
  const std::string raw = decode(box.seal("JBSWY3DPEHPK3PXP"));
  for (std::size_t i = 0; i < raw.size(); ++i) {
    std::string tampered = raw;
    tampered[i] = static_cast<char>(tampered[i] ^ 0x01);
    EXPECT_EQ(box.open(encode(tampered)), std::nullopt) << "byte " << i;
  }
}

TEST(SecretBox, RefusesTruncatedOrMalformedInput) {
  const SecretBox box(key_of('k'));
  const std::string sealed = box.seal("JBSWY3DPEHPK3PXP");
  EXPECT_EQ(box.open(sealed.substr(0, sealed.size() - 1)), std::nullopt);
  EXPECT_EQ(box.open(sealed + "A"), std::nullopt);
  EXPECT_EQ(box.open(""), std::nullopt);
  EXPECT_EQ(box.open("not base64 at all!"), std::nullopt);
  EXPECT_EQ(box.open(sealed + "="), std::nullopt);
  EXPECT_EQ(box.open(encode(std::string(39, 'x'))), std::nullopt);  // shorter than nonce + MAC
}

TEST(SecretBox, AnotherKeyCannotOpen) {
  const std::string sealed = SecretBox(key_of('a')).seal("JBSWY3DPEHPK3PXP");
  EXPECT_EQ(SecretBox(key_of('b')).open(sealed), std::nullopt);
}

TEST(SecretBox, KeyMustBe32Bytes) {
  EXPECT_THROW(SecretBox{std::string(31, 'k')}, std::invalid_argument);
  EXPECT_THROW(SecretBox{std::string(33, 'k')}, std::invalid_argument);
  EXPECT_THROW(SecretBox{std::string()}, std::invalid_argument);
}

// Sets or clears OPLOOP_SECRET_KEY for one test and restores it afterwards; gives each test a
// fresh directory for its key file.
class SecretBoxEnvironment : public ::testing::Test {
 protected:
  void SetUp() override {
    if (const char* v = std::getenv("OPLOOP_SECRET_KEY")) {
      saved_ = v;
    }
    ::unsetenv("OPLOOP_SECRET_KEY");
    std::string pattern = (fs::temp_directory_path() / "oploop-key-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override {
    if (saved_) {
      ::setenv("OPLOOP_SECRET_KEY", saved_->c_str(), 1);
    } else {
      ::unsetenv("OPLOOP_SECRET_KEY");
    }
    fs::remove_all(dir_);
  }
  std::optional<std::string> saved_;
  fs::path dir_;
};

TEST_F(SecretBoxEnvironment, KeyFromHexVariable) {
  ::setenv("OPLOOP_SECRET_KEY", "000102030405060708090a0b0c0d0e0f101112131415161718191A1B1C1D1E1F",
           1);
  const SecretBox from_env = SecretBox::from_environment((dir_ / "unused.key").string());
  std::string raw;
  for (int i = 0; i < 32; ++i) {
    raw += static_cast<char>(i);
  }
  EXPECT_EQ(SecretBox(raw).open(from_env.seal("seed")), "seed");
  EXPECT_FALSE(fs::exists(dir_ / "unused.key"));
}

TEST_F(SecretBoxEnvironment, InvalidHexVariableIsAClearError) {
  for (const char* bad :
       {"", "00", "zz0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f",
        "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f00",
        "00 0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"}) {
    ::setenv("OPLOOP_SECRET_KEY", bad, 1);
    try {
      SecretBox::from_environment((dir_ / "unused.key").string());
      ADD_FAILURE() << "accepted OPLOOP_SECRET_KEY=" << bad;
    } catch (const std::runtime_error& e) {
      EXPECT_NE(std::string(e.what()).find("OPLOOP_SECRET_KEY"), std::string::npos);
      if (*bad != '\0') {
        EXPECT_EQ(std::string(e.what()).find(bad), std::string::npos);
      }
    }
  }
}

TEST_F(SecretBoxEnvironment, CreatesAPrivateKeyFileAndReusesIt) {
  const fs::path key_file = dir_ / "nested" / "data" / "secret.key";
  const SecretBox first = SecretBox::from_environment(key_file.string());
  ASSERT_TRUE(fs::exists(key_file));
  EXPECT_EQ(fs::file_size(key_file), 32u);
  struct stat st {};
  ASSERT_EQ(::stat(key_file.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  // No temporary file is left beside it.
  EXPECT_EQ(std::distance(fs::directory_iterator(key_file.parent_path()), fs::directory_iterator()),
            1);

  const std::string sealed = first.seal("JBSWY3DPEHPK3PXP");
  const SecretBox second = SecretBox::from_environment(key_file.string());
  EXPECT_EQ(second.open(sealed), "JBSWY3DPEHPK3PXP");
  EXPECT_EQ(fs::file_size(key_file), 32u);
}

TEST_F(SecretBoxEnvironment, VariableTakesPrecedenceOverTheFile) {
  const fs::path key_file = dir_ / "secret.key";
  const std::string sealed = SecretBox::from_environment(key_file.string()).seal("seed");
  ::setenv("OPLOOP_SECRET_KEY", std::string(64, 'a').c_str(), 1);
  EXPECT_EQ(SecretBox::from_environment(key_file.string()).open(sealed), std::nullopt);
}

TEST_F(SecretBoxEnvironment, KeyFileOfTheWrongSizeIsRefused) {
  const fs::path key_file = dir_ / "secret.key";
  std::ofstream(key_file) << "too short";
  EXPECT_THROW(SecretBox::from_environment(key_file.string()), std::runtime_error);
  std::ofstream(key_file) << std::string(33, 'k');
  EXPECT_THROW(SecretBox::from_environment(key_file.string()), std::runtime_error);
  std::ofstream(key_file, std::ios::trunc).close();
  EXPECT_THROW(SecretBox::from_environment(key_file.string()), std::runtime_error);
}

TEST_F(SecretBoxEnvironment, AnExistingKeyFileIsUsedAsIs) {
  const fs::path key_file = dir_ / "secret.key";
  std::ofstream(key_file, std::ios::binary) << key_of('z');
  ::chmod(key_file.c_str(), 0600);
  const std::string sealed = SecretBox(key_of('z')).seal("seed");
  EXPECT_EQ(SecretBox::from_environment(key_file.string()).open(sealed), "seed");
}

}  // namespace
}  // namespace oploop::auth

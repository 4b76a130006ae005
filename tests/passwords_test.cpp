#include "auth/passwords.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

namespace oploop::auth {
namespace {

std::string repeat(const std::string& piece, int times) {
  std::string out;
  for (int i = 0; i < times; ++i) {
    out += piece;
  }
  return out;
}

TEST(PasswordHash, IsArgon2idAndVerifies) {
  const std::string hash = hash_password("correct horse battery staple");
  EXPECT_TRUE(hash.starts_with("$argon2id$v=19$")) << hash;
  EXPECT_TRUE(verify_password(hash, "correct horse battery staple"));
  EXPECT_FALSE(verify_password(hash, "correct horse battery stapl"));
  EXPECT_FALSE(verify_password(hash, "Correct horse battery staple"));
}

TEST(PasswordHash, UsesAUniqueSaltEachTime) {
  const std::string a = hash_password("zelfde wachtwoord 1");
  const std::string b = hash_password("zelfde wachtwoord 1");
  EXPECT_NE(a, b);
  EXPECT_TRUE(verify_password(a, "zelfde wachtwoord 1"));
  EXPECT_TRUE(verify_password(b, "zelfde wachtwoord 1"));
}

TEST(PasswordHash, NeverTruncatesLongPasswords) {
  const std::string long_one = repeat("a", 127) + "b";
  const std::string hash = hash_password(long_one);
  EXPECT_TRUE(verify_password(hash, long_one));
  EXPECT_FALSE(verify_password(hash, repeat("a", 127) + "c"));
  EXPECT_FALSE(verify_password(hash, repeat("a", 127)));
}

TEST(PasswordHash, HandlesNonAsciiAndEmbeddedNul) {
  const std::string with_nul = std::string("voor\0achter-één", 17);
  const std::string hash = hash_password(with_nul);
  EXPECT_TRUE(verify_password(hash, with_nul));
  EXPECT_FALSE(verify_password(hash, "voor"));
}

TEST(PasswordHash, GarbageHashIsRefusedNotACrash) {
  EXPECT_FALSE(verify_password("", "whatever password"));
  EXPECT_FALSE(verify_password("not a hash", "whatever password"));
  EXPECT_FALSE(verify_password("$argon2id$v=19$m=65536,t=2,p=1$", "whatever password"));
  EXPECT_FALSE(verify_password(std::string(500, '$'), "whatever password"));
  EXPECT_FALSE(verify_password(std::string("$argon2id\0$", 11), "whatever password"));
}

TEST(DummyPasswordHash, IsComputedOnceAndMatchesNothingUsual) {
  const std::string& first = dummy_password_hash();
  const std::string& second = dummy_password_hash();
  EXPECT_EQ(&first, &second);
  EXPECT_TRUE(first.starts_with("$argon2id$"));
  EXPECT_FALSE(verify_password(first, ""));
  EXPECT_FALSE(verify_password(first, "welkom123456"));
}

TEST(PasswordPolicy, LengthIsCountedInCharactersNotBytes) {
  const std::string email = "jan.jansen@example.org";
  EXPECT_EQ(password_problem("Zx9#kq!Lm2$", email), "password.too_short");  // 11
  EXPECT_EQ(password_problem("Zx9#kq!Lm2$v", email), std::nullopt);         // 12
  // 11 × "é" is 22 bytes but 11 characters.
  EXPECT_EQ(password_problem(repeat("é", 11), email), "password.too_short");
  EXPECT_EQ(password_problem(repeat("é", 12), email), std::nullopt);
  // Emoji are one character each (4 bytes).
  EXPECT_EQ(password_problem(repeat("🦊", 11), email), "password.too_short");
  EXPECT_EQ(password_problem(repeat("🦊", 12), email), std::nullopt);
  EXPECT_EQ(password_problem("", email), "password.too_short");
}

TEST(PasswordPolicy, AtMost128Characters) {
  const std::string email = "jan.jansen@example.org";
  EXPECT_EQ(password_problem(repeat("Ab3$", 32), email), std::nullopt);  // 128
  EXPECT_EQ(password_problem(repeat("Ab3$", 32) + "x", email), "password.too_long");
  EXPECT_EQ(password_problem(repeat("ë", 128), email), std::nullopt);  // 256 bytes
  EXPECT_EQ(password_problem(repeat("ë", 129), email), "password.too_long");
}

TEST(PasswordPolicy, RefusesTheEmailAddressInAnyCase) {
  EXPECT_EQ(password_problem("Jan.Jansen@Example.org", "jan.jansen@example.org"),
            "password.like_email");
  EXPECT_EQ(password_problem("jan.jansen@example.org", "JAN.JANSEN@EXAMPLE.ORG"),
            "password.like_email");
}

TEST(PasswordPolicy, RefusesPasswordsContainingTheLocalPart) {
  EXPECT_EQ(password_problem("JanJansen2024!!", "janjansen@example.org"), "password.like_email");
  EXPECT_EQ(password_problem("mijn-marieke-wachtwoord", "Marieke@example.org"),
            "password.like_email");
  // A very short local part would refuse half the dictionary, so it is not compared.
  EXPECT_EQ(password_problem("Jorik-Zx9#kq!Lm2", "jo@example.org"), std::nullopt);
  // No e-mail (e.g. while setting up): only the other rules apply.
  EXPECT_EQ(password_problem("Zx9#kq!Lm2$v", ""), std::nullopt);
}

TEST(PasswordPolicy, RefusesOurOwnCommonPasswords) {
  const std::string email = "someone@example.org";
  EXPECT_EQ(password_problem("welkom123456", email), "password.common");
  EXPECT_EQ(password_problem("WELKOM123456", email), "password.common");
  EXPECT_EQ(password_problem("Wachtwoord12", email), "password.common");
  EXPECT_EQ(password_problem("oploop123456", email), "password.common");
  EXPECT_EQ(password_problem("qwertyuiop12", email), "password.common");
  EXPECT_EQ(password_problem("welkom1234567x", email), std::nullopt);
}

TEST(PasswordPolicy, RefusesJohnTheRippersCommonPasswords) {
  if (!std::filesystem::exists("/usr/share/john/password.lst")) {
    GTEST_SKIP() << "Debian package john-data is not installed";
  }
  // The only entry of at least 12 characters in john's list.
  EXPECT_EQ(password_problem("winniethepooh", "someone@example.org"), "password.common");
  EXPECT_EQ(password_problem("WinnieThePooh", "someone@example.org"), "password.common");
}

}  // namespace
}  // namespace oploop::auth

// Mail goes through a real SMTP server (aiosmtpd, tests/support/smtp_sink.py) on 127.0.0.1.
#include "mail/mailer.hpp"

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sodium.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <map>
#include <regex>
#include <string>

#include "support/smtp_server.hpp"

namespace oploop::mail {
namespace {

using namespace std::chrono_literals;

const std::string kFrom = "oploop@test.oploop.nl";

struct Parsed {
  std::map<std::string, std::string> headers;  // unfolded, name lower-cased
  std::string body;                            // as transmitted (CRLF)
};

Parsed parse(const std::string& raw) {
  Parsed out;
  const auto split = raw.find("\r\n\r\n");
  EXPECT_NE(split, std::string::npos);
  std::string head = raw.substr(0, split);
  out.body = raw.substr(split + 4);
  head = std::regex_replace(head, std::regex("\r\n[ \t]"), " ");  // unfold
  std::size_t start = 0;
  while (start <= head.size()) {
    auto end = head.find("\r\n", start);
    if (end == std::string::npos) {
      end = head.size();
    }
    const std::string line = head.substr(start, end - start);
    const auto colon = line.find(':');
    if (colon != std::string::npos) {
      std::string name = line.substr(0, colon);
      for (char& c : name) {
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      }
      EXPECT_FALSE(out.headers.contains(name)) << "duplicate header " << name;
      out.headers[name] = line.substr(line.find_first_not_of(' ', colon + 1));
    }
    start = end + 2;
  }
  return out;
}

// RFC 2047 "=?UTF-8?B?…?=" words separated by blanks.
std::string decode_encoded_words(const std::string& value) {
  std::string out;
  const std::regex word(R"(=\?UTF-8\?B\?([A-Za-z0-9+/=]*)\?=)");
  for (auto it = std::sregex_iterator(value.begin(), value.end(), word);
       it != std::sregex_iterator(); ++it) {
    EXPECT_LE(it->length(), 75);
    const std::string b64 = (*it)[1];
    std::string raw(b64.size(), '\0');
    std::size_t len = 0;
    EXPECT_EQ(
        sodium_base642bin(reinterpret_cast<unsigned char*>(raw.data()), raw.size(), b64.data(),
                          b64.size(), nullptr, &len, nullptr, sodium_base64_VARIANT_ORIGINAL),
        0);
    out += raw.substr(0, len);
  }
  return out;
}

std::string decode_quoted_printable(const std::string& body) {
  std::string out;
  for (std::size_t i = 0; i < body.size(); ++i) {
    if (body[i] != '=') {
      out += body[i];
    } else if (body.compare(i, 3, "=\r\n") == 0) {
      i += 2;  // soft line break
    } else {
      out += static_cast<char>(std::stoi(body.substr(i + 1, 2), nullptr, 16));
      i += 2;
    }
  }
  return out;
}

void expect_crlf_only(const std::string& raw) {
  for (std::size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] == '\n') {
      EXPECT_TRUE(i > 0 && raw[i - 1] == '\r') << "bare LF at " << i;
    }
    if (raw[i] == '\r') {
      EXPECT_TRUE(i + 1 < raw.size() && raw[i + 1] == '\n') << "bare CR at " << i;
    }
  }
}

// A port with nothing listening: bound, then closed, so connecting is refused at once.
int unused_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    addr.sin_port = htons(1);  // privileged, so nothing of ours listens there either
  }
  ::close(fd);
  return ntohs(addr.sin_port);
}

class SmtpMailerTest : public ::testing::Test {
 protected:
  testing::SmtpSink sink;
  SmtpMailer mailer{sink.url(), kFrom};
};

TEST_F(SmtpMailerTest, DeliversAWellFormedMessage) {
  const Message m{"jan@example.org", "Welkom bij Oploop", "Hallo,\n\nKlik op de link.\n"};
  ASSERT_TRUE(mailer.send(m).has_value());
  ASSERT_TRUE(sink.wait_for(1, 5s));
  const auto raw = sink.messages().at(0);
  expect_crlf_only(raw);
  const Parsed p = parse(raw);
  EXPECT_EQ(p.headers.at("from"), kFrom);
  EXPECT_EQ(p.headers.at("to"), "jan@example.org");
  EXPECT_EQ(p.headers.at("subject"), "Welkom bij Oploop");
  EXPECT_EQ(p.headers.at("mime-version"), "1.0");
  EXPECT_EQ(p.headers.at("content-type"), "text/plain; charset=utf-8");
  EXPECT_EQ(p.headers.at("content-transfer-encoding"), "7bit");
  EXPECT_TRUE(std::regex_match(p.headers.at("message-id"),
                               std::regex(R"(<[0-9a-f]{32}@test\.oploop\.nl>)")))
      << p.headers.at("message-id");
  EXPECT_TRUE(std::regex_match(
      p.headers.at("date"),
      std::regex(
          R"((Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d\d (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d\d:\d\d:\d\d \+0000)")))
      << p.headers.at("date");
  EXPECT_EQ(p.body, "Hallo,\r\n\r\nKlik op de link.\r\n");
  EXPECT_EQ(sink.recipients().at(0), std::vector<std::string>{"jan@example.org"});
}

TEST_F(SmtpMailerTest, EncodesAUtf8SubjectAndBody) {
  const std::string subject =
      "Eén nieuwe aanmelding — wachtlijst ‘Zuid’ 🦊 met een lange onderwerpregel die "
      "gevouwen "
      "wordt";
  std::string text = "Beste vrijwilliger,\r\nEr staat één nieuwe aanmelding klaar = fijn.\n";
  text += std::string(100, 'x') + " \n";  // long line, trailing blank
  text += ".\n.punt aan het begin\n";     // curl dot-stuffs, the server unstuffs
  ASSERT_TRUE(mailer.send({"marieke@example.org", subject, text}).has_value());
  ASSERT_TRUE(sink.wait_for(1, 5s));
  const auto raw = sink.messages().at(0);
  expect_crlf_only(raw);
  const Parsed p = parse(raw);
  EXPECT_TRUE(p.headers.at("subject").starts_with("=?UTF-8?B?"));
  EXPECT_EQ(decode_encoded_words(p.headers.at("subject")), subject);
  EXPECT_EQ(p.headers.at("content-transfer-encoding"), "quoted-printable");
  for (std::size_t start = 0; start < p.body.size();) {
    const auto end = p.body.find("\r\n", start);
    EXPECT_LE(end - start, 76u) << "line too long for quoted-printable";
    start = end + 2;
  }
  EXPECT_EQ(decode_quoted_printable(p.body),
            "Beste vrijwilliger,\r\nEr staat één nieuwe aanmelding klaar = fijn.\r\n" +
                std::string(100, 'x') + " \r\n.\r\n.punt aan het begin\r\n");
}

TEST_F(SmtpMailerTest, AnAsciiSubjectThatLooksEncodedIsEncoded) {
  ASSERT_TRUE(mailer.send({"jan@example.org", "=?UTF-8?B?aGFjaw==?=", "x"}).has_value());
  ASSERT_TRUE(sink.wait_for(1, 5s));
  const Parsed p = parse(sink.messages().at(0));
  EXPECT_EQ(decode_encoded_words(p.headers.at("subject")), "=?UTF-8?B?aGFjaw==?=");
}

TEST_F(SmtpMailerTest, RefusesHeaderInjection) {
  for (const Message& m : {
           Message{"jan@example.org", "Hallo\r\nBcc: evil@example.com", "x"},
           Message{"jan@example.org", "Hallo\nBcc: evil@example.com", "x"},
           Message{"jan@example.org", "Hallo\rBcc: evil@example.com", "x"},
           Message{"jan@example.org\r\nBcc: evil@example.com", "Hallo", "x"},
           Message{"jan@example.org\nBcc: evil@example.com", "Hallo", "x"},
           Message{"jan@example.org, evil@example.com", "Hallo", "x"},
           Message{"Jan <jan@example.org>", "Hallo", "x"},
           Message{"", "Hallo", "x"},
       }) {
    const Status s = mailer.send(m);
    ASSERT_FALSE(s.has_value()) << m.to << " / " << m.subject;
    EXPECT_EQ(s.error().kind, ErrorKind::bad_request);
  }
  EXPECT_FALSE(sink.wait_for(1, 300ms));
}

TEST_F(SmtpMailerTest, SendsSeveralMessagesInOrder) {
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(mailer.send({"jan@example.org", "Bericht " + std::to_string(i), "x"}).has_value());
  }
  ASSERT_TRUE(sink.wait_for(3, 5s));
  const auto all = sink.messages();
  ASSERT_EQ(all.size(), 3u);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(parse(all[i]).headers.at("subject"), "Bericht " + std::to_string(i));
  }
}

TEST(SmtpMailer, UnreachableServerIsAnErrorNotACrash) {
  SmtpMailer mailer("smtp://127.0.0.1:" + std::to_string(unused_port()), kFrom);
  const auto started = std::chrono::steady_clock::now();
  const Status s = mailer.send({"jan@example.org", "Hallo", "x"});
  ASSERT_FALSE(s.has_value());
  EXPECT_EQ(s.error().kind, ErrorKind::internal);
  EXPECT_EQ(s.error().message, "mail.send_failed");
  EXPECT_LT(std::chrono::steady_clock::now() - started, 10s);
}

TEST(SmtpMailer, RefusesNonMailUrls) {
  SmtpMailer mailer("file:///etc/passwd", kFrom);
  const Status s = mailer.send({"jan@example.org", "Hallo", "x"});
  ASSERT_FALSE(s.has_value());
  EXPECT_EQ(s.error().message, "mail.send_failed");
}

TEST(DisabledMailer, AnswersOkWithoutSending) {
  DisabledMailer mailer;
  EXPECT_TRUE(mailer.send({"jan@example.org", "Hallo\r\nX: y", "geheim"}).has_value());
}

}  // namespace
}  // namespace oploop::mail

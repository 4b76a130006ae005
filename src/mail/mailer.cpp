// SMTP through libcurl. We build the RFC 5322 message ourselves (headers, RFC 2047 subject,
// quoted-printable body when it is not plain ASCII) and let curl do the SMTP dialogue,
// including dot-stuffing. Nothing a user typed can add a header: CR or LF in the recipient or
// subject is refused before anything is sent. The log never holds the body or the recipient.
#include "mail/mailer.hpp"

#include <curl/curl.h>
#include <sodium.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstring>
#include <ctime>
#include <memory>
#include <stdexcept>
#include <string_view>
#include <utility>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

namespace oploop::mail {
namespace {

constexpr long kConnectTimeoutSeconds = 10;
constexpr long kTotalTimeoutSeconds = 30;
constexpr std::size_t kQpLineLength = 76;      // RFC 2045 6.7 (5)
constexpr std::size_t kEncodedWordBytes = 45;  // 60 base64 chars: each word stays ≤ 75 chars

void ensure_libraries() {
  static const bool ready = [] {
    if (sodium_init() < 0) {
      return false;
    }
    return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
  }();
  if (!ready) {
    throw std::runtime_error("libcurl or libsodium failed to initialise");
  }
}

bool is_ascii(std::string_view s) {
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

// Any control character in a header value could end the header or smuggle in another.
bool safe_header_value(std::string_view s) {
  return std::none_of(s.begin(), s.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return (u < 0x20 && c != '\t') || u == 0x7F;
  });
}

// A bare address: one '@', no spaces, brackets or commas (which would add recipients).
bool plain_address(std::string_view s) {
  if (s.empty() || !safe_header_value(s) || !is_ascii(s)) {
    return false;
  }
  if (std::count(s.begin(), s.end(), '@') != 1 || s.front() == '@' || s.back() == '@') {
    return false;
  }
  return s.find_first_of(" \t<>,;:\"()[]\\") == std::string_view::npos;
}

std::string base64(std::string_view bytes) {
  constexpr auto variant = sodium_base64_VARIANT_ORIGINAL;
  std::string out(sodium_base64_ENCODED_LEN(bytes.size(), variant), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                    bytes.size(), variant);
  out.resize(out.size() - 1);
  return out;
}

// RFC 2047: non-ASCII text (or text that itself looks like an encoded word) becomes a series of
// "=?UTF-8?B?…?=" words, cut between UTF-8 characters and folded onto continuation lines.
std::string encode_subject(std::string_view subject) {
  // Plain ASCII goes as it is, unless it could be mistaken for an encoded word or is too long
  // for one header line (998 bytes).
  if (is_ascii(subject) && subject.find("=?") == std::string_view::npos && subject.size() <= 900) {
    return std::string(subject);
  }
  std::string out;
  while (!subject.empty()) {
    std::size_t take = std::min(subject.size(), kEncodedWordBytes);
    while (take < subject.size() && take > 0 &&
           (static_cast<unsigned char>(subject[take]) & 0xC0) == 0x80) {
      --take;
    }
    if (take == 0) {
      take = std::min(subject.size(), kEncodedWordBytes);  // not UTF-8; just cut
    }
    if (!out.empty()) {
      out += "\r\n ";
    }
    out += "=?UTF-8?B?" + base64(subject.substr(0, take)) + "?=";
    subject.remove_prefix(take);
  }
  return out;
}

// Every line break (LF, CRLF or a lone CR) becomes CRLF, as SMTP requires.
std::vector<std::string> split_lines(std::string_view text) {
  std::vector<std::string> lines(1);
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r' || text[i] == '\n') {
      if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
        ++i;
      }
      lines.emplace_back();
    } else {
      lines.back() += text[i];
    }
  }
  // A text that ends with a line break does not get an extra empty line.
  if (lines.size() > 1 && lines.back().empty()) {
    lines.pop_back();
  }
  return lines;
}

// RFC 2045 quoted-printable for one line: '=' and non-ASCII as =XX, a trailing blank encoded,
// soft line breaks keep every output line within 76 characters.
std::string quoted_printable_line(std::string_view line) {
  std::string out;
  std::size_t column = 0;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const auto c = static_cast<unsigned char>(line[i]);
    const bool last = i + 1 == line.size();
    const bool literal = (c >= 33 && c <= 126 && c != '=') || ((c == ' ' || c == '\t') && !last);
    const std::string piece =
        literal ? std::string(1, static_cast<char>(c)) : fmt::format("={:02X}", c);
    // Leave room for the '=' of a soft break unless this is the line's last piece.
    const std::size_t room = last ? kQpLineLength : kQpLineLength - 1;
    if (column + piece.size() > room) {
      out += "=\r\n";
      column = 0;
    }
    out += piece;
    column += piece.size();
  }
  return out;
}

std::string body_and_encoding(std::string_view text, std::string& encoding) {
  const auto lines = split_lines(text);
  const bool plain = is_ascii(text) && std::all_of(lines.begin(), lines.end(), [](const auto& l) {
                       return l.size() <= 998 && safe_header_value(l);
                     });
  encoding = plain ? "7bit" : "quoted-printable";
  std::string body;
  for (const auto& line : lines) {
    body += plain ? line : quoted_printable_line(line);
    body += "\r\n";
  }
  return body;
}

// RFC 5322 date in English and UTC, independent of the process locale.
std::string rfc5322_date(std::chrono::system_clock::time_point now) {
  static constexpr std::array<const char*, 7> days{"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr std::array<const char*, 12> months{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const std::time_t t = std::chrono::system_clock::to_time_t(now);
  std::tm utc{};
  gmtime_r(&t, &utc);
  return fmt::format("{}, {:02} {} {} {:02}:{:02}:{:02} +0000", days[utc.tm_wday], utc.tm_mday,
                     months[utc.tm_mon], utc.tm_year + 1900, utc.tm_hour, utc.tm_min, utc.tm_sec);
}

std::string message_id(std::string_view from) {
  std::array<unsigned char, 16> random{};
  randombytes_buf(random.data(), random.size());
  std::array<char, random.size() * 2 + 1> hex{};
  sodium_bin2hex(hex.data(), hex.size(), random.data(), random.size());
  const auto at = from.find('@');
  const std::string_view domain =
      at == std::string_view::npos ? "oploop.localhost" : from.substr(at + 1);
  return fmt::format("<{}@{}>", hex.data(), domain);
}

std::string compose(const std::string& from, const Message& m) {
  std::string encoding;
  std::string body = body_and_encoding(m.text, encoding);
  std::string out;
  out += "Date: " + rfc5322_date(std::chrono::system_clock::now()) + "\r\n";
  out += "From: " + from + "\r\n";
  out += "To: " + m.to + "\r\n";
  out += "Subject: " + encode_subject(m.subject) + "\r\n";
  out += "Message-ID: " + message_id(from) + "\r\n";
  out += "MIME-Version: 1.0\r\n";
  out += "Content-Type: text/plain; charset=utf-8\r\n";
  out += "Content-Transfer-Encoding: " + encoding + "\r\n";
  out += "\r\n";
  out += body;
  return out;
}

struct Upload {
  std::string_view data;
};

std::size_t read_chunk(char* buffer, std::size_t size, std::size_t count, void* user) {
  auto* upload = static_cast<Upload*>(user);
  const std::size_t n = std::min(size * count, upload->data.size());
  std::memcpy(buffer, upload->data.data(), n);
  upload->data.remove_prefix(n);
  return n;
}

// Log text on one line, and without addresses: a server's reply may quote the recipient.
std::string loggable(std::string_view text) {
  std::string out;
  std::string word;
  auto flush = [&] {
    out += word.find('@') == std::string::npos ? word : "[address]";
    word.clear();
  };
  for (char c : text) {
    if (c == ' ' || c == '\r' || c == '\n' || c == '\t') {
      flush();
      out += ' ';
    } else {
      word += c;
    }
  }
  flush();
  return out;
}

struct CurlList {
  curl_slist* list = nullptr;
  CurlList() = default;
  CurlList(const CurlList&) = delete;
  CurlList& operator=(const CurlList&) = delete;
  ~CurlList() { curl_slist_free_all(list); }
};

}  // namespace

SmtpMailer::SmtpMailer(std::string url, std::string from)
    : url_(std::move(url)), from_(std::move(from)) {
  ensure_libraries();
}

Status SmtpMailer::send(const Message& m) {
  if (!plain_address(m.to) || !safe_header_value(m.subject)) {
    return fail(Error::bad_request());
  }
  const Error send_failed{ErrorKind::internal, "mail.send_failed", {}};
  if (!plain_address(from_)) {
    spdlog::error("mail not sent: the sender address (OPLOOP_MAIL_FROM) is not a plain address");
    return fail(send_failed);
  }

  const std::string message = compose(from_, m);
  Upload upload{message};
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), &curl_easy_cleanup);
  if (!curl) {
    spdlog::error("mail not sent: curl_easy_init failed");
    return fail(send_failed);
  }
  CurlList recipients;
  recipients.list = curl_slist_append(nullptr, ("<" + m.to + ">").c_str());
  const std::string mail_from = "<" + from_ + ">";
  std::array<char, CURL_ERROR_SIZE> error{};

  CURL* c = curl.get();
  curl_easy_setopt(c, CURLOPT_URL, url_.c_str());
  // Only mail protocols: a mistyped OPLOOP_SMTP_URL must not turn into a file or HTTP request.
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
  curl_easy_setopt(c, CURLOPT_MAIL_FROM, mail_from.c_str());
  curl_easy_setopt(c, CURLOPT_MAIL_RCPT, recipients.list);
  curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(c, CURLOPT_READFUNCTION, &read_chunk);
  curl_easy_setopt(c, CURLOPT_READDATA, &upload);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, kConnectTimeoutSeconds);
  curl_easy_setopt(c, CURLOPT_TIMEOUT, kTotalTimeoutSeconds);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);  // timeouts without SIGALRM: we are multi-threaded
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error.data());

  const CURLcode rc = curl_easy_perform(c);
  if (rc != CURLE_OK) {
    spdlog::error("mail not sent: {} ({})", curl_easy_strerror(rc),
                  loggable(error[0] != '\0' ? error.data() : ""));
    return fail(send_failed);
  }
  return {};
}

Status DisabledMailer::send(const Message& m) {
  spdlog::warn("mail not sent (no OPLOOP_SMTP_URL): subject \"{}\"", loggable(m.subject));
  return {};
}

}  // namespace oploop::mail

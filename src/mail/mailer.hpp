// Outgoing mail through SMTP (libcurl), configured by OPLOOP_SMTP_URL
// ("smtp://127.0.0.1:2525", "smtps://user:pass@host:465"). Bodies never hold personal
// details: a subject, a short text and a link.
#pragma once

#include <string>

#include "core/result.hpp"

namespace oploop::mail {

struct Message {
  std::string to;
  std::string subject;
  std::string text;  // plain text body
};

class Mailer {
 public:
  virtual ~Mailer() = default;
  virtual Status send(const Message& m) = 0;
};

// Sends through SMTP; from address from OPLOOP_MAIL_FROM (default "oploop@localhost").
class SmtpMailer final : public Mailer {
 public:
  SmtpMailer(std::string url, std::string from);
  Status send(const Message& m) override;

 private:
  std::string url_;
  std::string from_;
};

// When no SMTP server is configured: writes "mail not sent (no OPLOOP_SMTP_URL)" with the
// subject only to the log, so the operator sees it, and answers ok.
class DisabledMailer final : public Mailer {
 public:
  Status send(const Message& m) override;
};

}  // namespace oploop::mail

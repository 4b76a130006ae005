// The public referral form (/aanmelden/{org}) against the real server and a real SMTP server,
// on both engines: validation keeps what was typed, a submission becomes a "public" referral,
// the mails (receipt and coordinator notices) carry no personal details, throttling per
// address, and hostile text shown literally to the coordinator.
#include <gtest/gtest.h>
#include <sodium.h>

#include <algorithm>
#include <kainjow/mustache.hpp>
#include <regex>

#include "auth/totp.hpp"
#include "i18n/catalogue.hpp"
#include "support/smtp_server.hpp"
#include "support/test_app.hpp"

namespace oploop::testing {
namespace {

using namespace std::chrono_literals;

// Distinctive values, so a search in a mail cannot hit something else by chance.
const char* const kContactName = "Fatima Zwanenburg-Oudejans";
const char* const kPostcode = "9716 XK";
const char* const kHouseNumber = "3917-Kx";
const char* const kReason = "Schulden bij de woningcorporatie en post in het Arabisch";
const char* const kReferrerEmail = "verwijzer@wijkteam.example";

std::string shown(const std::string& key) {
  return kainjow::mustache::html_escape(i18n::Catalogue::instance().text("nl", key));
}

// A received mail, decoded: the Subject (RFC 2047 words) and the body (quoted-printable or
// 7bit), so the checks below see the text a reader sees.
struct Mail {
  std::string to;
  std::string subject;
  std::string body;
};

std::string header_value(const std::string& head, const std::string& name) {
  // Unfold, then find "Name: value".
  const std::string unfolded = std::regex_replace(head, std::regex("\r\n[ \t]"), " ");
  std::smatch m;
  if (std::regex_search(unfolded, m,
                        std::regex("(?:^|\r\n)" + name + ": ([^\r\n]*)", std::regex::icase)))
    return m[1].str();
  return {};
}

std::string decode_words(const std::string& value) {
  if (value.find("=?") == std::string::npos) return value;
  std::string out;
  const std::regex word(R"(=\?UTF-8\?B\?([A-Za-z0-9+/=]*)\?=)", std::regex::icase);
  for (auto it = std::sregex_iterator(value.begin(), value.end(), word);
       it != std::sregex_iterator(); ++it) {
    const std::string b64 = (*it)[1];
    std::string raw(b64.size(), '\0');
    std::size_t len = 0;
    if (sodium_base642bin(reinterpret_cast<unsigned char*>(raw.data()), raw.size(), b64.data(),
                          b64.size(), nullptr, &len, nullptr, sodium_base64_VARIANT_ORIGINAL) == 0)
      out += raw.substr(0, len);
  }
  return out;
}

std::string decode_quoted_printable(const std::string& body) {
  std::string out;
  for (std::size_t i = 0; i < body.size(); ++i) {
    if (body[i] != '=') {
      out += body[i];
    } else if (body.compare(i + 1, 2, "\r\n") == 0) {
      i += 2;  // soft line break
    } else if (i + 2 < body.size()) {
      out += static_cast<char>(std::stoi(body.substr(i + 1, 2), nullptr, 16));
      i += 2;
    }
  }
  return out;
}

Mail decode(const std::string& raw) {
  const auto split = raw.find("\r\n\r\n");
  EXPECT_NE(split, std::string::npos);
  const std::string head = raw.substr(0, split);
  std::string body = raw.substr(split + 4);
  if (header_value(head, "Content-Transfer-Encoding") == "quoted-printable")
    body = decode_quoted_printable(body);
  return {header_value(head, "To"), decode_words(header_value(head, "Subject")), body};
}

class PublicReferral : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    TestAppOptions options;
    options.smtp_url = sink_.url();
    options.clock = &clock_;
    app_ = std::make_unique<TestApp>(GetParam(), options);
    if (!app_->available()) GTEST_SKIP() << app_->skip_reason();
  }

  http::Params fields(const std::string& token, const std::string& contact_name = kContactName) {
    return {{"csrf_token", token},
            {"contact_name", contact_name},
            {"postcode", kPostcode},
            {"house_number", kHouseNumber},
            {"children_birth_years", "2015, 2019"},
            {"languages", "nl, ar"},
            {"reason", kReason},
            {"urgency", "urgent"},
            {"other_care", ""},
            {"referrer_name", "Wijkteam Noord"},
            {"referrer_organisation", "Wijkteam"},
            {"referrer_email", kReferrerEmail},
            {"referrer_phone", "030 123 4567"},
            {"consent", "yes"},
            {"consent_date", to_date(clock_.now())}};
  }

  // GET the form, then POST `values` (the form's token is filled in).
  HttpResult submit(HttpClient& c, http::Params values, const std::string& slug = "org-a") {
    auto form = c.get("/aanmelden/" + slug);
    EXPECT_EQ(form.status, 200);
    for (auto& [k, v] : values)
      if (k == "csrf_token") v = csrf_from(form.body);
    return c.post_form("/aanmelden/" + slug, values);
  }

  std::unique_ptr<HttpClient> coordinator() { return app_->signed_in(app_->a, "coordinator"); }

  std::int64_t referrals() { return scalar(app_->db(), "SELECT COUNT(*) FROM referrals"); }

  std::string only_referral_id() {
    auto conn = app_->db().acquire();
    auto rows = conn->query("SELECT id FROM referrals");
    EXPECT_EQ(rows.size(), 1u);
    return rows.empty() ? std::string() : rows.front().text(0);
  }

  ManualClock clock_{std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now())};
  SmtpSink sink_;
  std::unique_ptr<TestApp> app_;
};

TEST_P(PublicReferral, FormIsShownWithoutAnAccount) {
  auto c = app_->anonymous();
  auto r = c->get("/aanmelden/org-a");
  ASSERT_EQ(r.status, 200);
  EXPECT_NE(r.body.find(R"(action="/aanmelden/org-a")"), std::string::npos);
  for (const char* name : {"contact_name", "postcode", "house_number", "reason", "referrer_email",
                           "consent", "consent_date", "csrf_token"})
    EXPECT_NE(r.body.find(std::string("name=\"") + name + "\""), std::string::npos) << name;
  EXPECT_NE(r.body.find("Organisatie org-a"), std::string::npos);
  ASSERT_TRUE(c->cookie("oploop_csrf"));
  EXPECT_EQ(csrf_from(r.body), *c->cookie("oploop_csrf"));
  EXPECT_FALSE(c->cookie("oploop_session"));
}

TEST_P(PublicReferral, MissingConsentIs422AndKeepsWhatWasTyped) {
  auto c = app_->anonymous();
  auto values = fields("");
  std::erase_if(values, [](const auto& kv) { return kv.first == "consent"; });
  auto r = submit(*c, values);
  ASSERT_EQ(r.status, 422) << r.body;
  EXPECT_NE(r.body.find(shown("validation.consent_required")), std::string::npos);
  std::smatch m;
  ASSERT_TRUE(
      std::regex_search(r.body, m, std::regex(R"re(<input[^>]*name="contact_name"[^>]*>)re")));
  EXPECT_NE(m[0].str().find(std::string("value=\"") + kContactName + "\""), std::string::npos)
      << m[0].str();
  EXPECT_NE(r.body.find(kReason), std::string::npos) << "the reason is kept in its textarea";
  EXPECT_EQ(referrals(), 0);
  EXPECT_EQ(scalar(app_->db(), "SELECT COUNT(*) FROM mail_outbox"), 0);
}

TEST_P(PublicReferral, SubmissionBecomesANewPublicReferral) {
  auto c = app_->anonymous();
  auto r = submit(*c, fields(""));
  ASSERT_EQ(r.status, 303) << r.body;
  EXPECT_EQ(r.header("Location").value_or(""), "/aanmelden/org-a/bedankt");
  auto thanks = c->get("/aanmelden/org-a/bedankt");
  EXPECT_EQ(thanks.status, 200);
  EXPECT_EQ(thanks.body.find(kContactName), std::string::npos);

  const std::string id = only_referral_id();
  EXPECT_EQ(scalar(app_->db(),
                   "SELECT COUNT(*) FROM referrals WHERE id = ? AND source = 'public' AND "
                   "status = 'new' AND organisation_id = ? AND team_id IS NULL AND "
                   "contact_name = ? AND urgency = 'urgent'",
                   {id, app_->a.id, std::string(kContactName)}),
            1);
  EXPECT_EQ(scalar(app_->db(),
                   "SELECT COUNT(*) FROM access_log WHERE object_id = ? AND event = 'create' "
                   "AND outcome = 'success'",
                   {id}),
            1);
}

TEST_P(PublicReferral, MailsGoToReferrerAndCoordinatorsWithoutPersonalDetails) {
  auto c = app_->anonymous();
  ASSERT_EQ(submit(*c, fields("")).status, 303);
  const std::string id = only_referral_id();
  EXPECT_EQ(app_->deliver_mail(), 3);
  ASSERT_TRUE(sink_.wait_for(3, 10s));
  const auto raw = sink_.messages();
  const auto envelopes = sink_.recipients();
  ASSERT_EQ(raw.size(), 3u);

  std::map<std::string, int> per_recipient;
  for (const auto& to : envelopes) {
    ASSERT_EQ(to.size(), 1u);
    ++per_recipient[to.front()];
  }
  const std::map<std::string, int> expected = {
      {kReferrerEmail, 1}, {"coordinator@org-a.test", 1}, {"other_coordinator@org-a.test", 1}};
  EXPECT_EQ(per_recipient, expected);

  const std::string link = app_->base_url() + "/aanmeldingen/" + id;
  for (std::size_t i = 0; i < raw.size(); ++i) {
    const Mail mail = decode(raw[i]);
    const std::string text = mail.subject + "\n" + mail.body;
    SCOPED_TRACE(mail.to + ": " + text);
    for (const std::string& secret :
         {std::string(kContactName), std::string("Zwanenburg"), std::string(kPostcode),
          std::string("9716XK"), std::string(kHouseNumber), std::string(kReason),
          std::string("Schulden"), std::string("030 123 4567")}) {
      EXPECT_EQ(text.find(secret), std::string::npos) << "mail contains " << secret;
      EXPECT_EQ(raw[i].find(secret), std::string::npos) << "raw mail contains " << secret;
    }
    if (envelopes[i].front() == kReferrerEmail) {
      EXPECT_EQ(text.find("/aanmeldingen/"), std::string::npos) << "no staff link for referrers";
    } else {
      EXPECT_NE(mail.body.find(link), std::string::npos) << "the notice links to the referral";
    }
  }
  EXPECT_EQ(scalar(app_->db(), "SELECT COUNT(*) FROM mail_outbox WHERE sent_at IS NULL"), 0);
}

TEST_P(PublicReferral, UnknownOrganisationIs404) {
  auto c = app_->anonymous();
  EXPECT_EQ(c->get("/aanmelden/bestaat-niet").status, 404);
  c->get("/aanmelden/org-a");  // for the CSRF cookie
  auto values = fields(c->cookie("oploop_csrf").value_or(""));
  auto r = c->post_form("/aanmelden/bestaat-niet", values);
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(c->get("/aanmelden/bestaat-niet/bedankt").status, 404);
  EXPECT_EQ(referrals(), 0);
}

TEST_P(PublicReferral, EleventhSubmissionFromOneAddressWithinTheHourIs429) {
  auto c = app_->anonymous();
  for (int i = 1; i <= 10; ++i) ASSERT_EQ(submit(*c, fields("")).status, 303) << "submission " << i;
  clock_.advance(59min);
  auto r = submit(*c, fields(""));
  EXPECT_EQ(r.status, 429) << r.body;
  EXPECT_EQ(referrals(), 10);
  // The window slides: an hour after the first ones, the address may send again.
  clock_.advance(1min + 1s);
  EXPECT_EQ(submit(*c, fields("")).status, 303);
  EXPECT_EQ(referrals(), 11);
}

TEST_P(PublicReferral, HostileTextIsShownLiterallyToTheCoordinator) {
  auto c = app_->anonymous();
  const std::string script = "<script>alert(1)</script>";
  const std::string tmpl = "{{7*7}}";
  ASSERT_EQ(submit(*c, fields("", script)).status, 303);
  std::string script_id;
  {
    auto conn = app_->db().acquire();
    script_id = conn->query("SELECT id FROM referrals").front().text(0);
  }
  ASSERT_EQ(submit(*c, fields("", tmpl + " \"><svg onload=alert(2)>")).status, 303);
  std::string tmpl_id;
  {
    auto conn = app_->db().acquire();
    tmpl_id = conn->query("SELECT id FROM referrals WHERE id <> ?", {script_id}).front().text(0);
  }

  auto coord = coordinator();
  auto page = coord->get("/aanmeldingen/" + script_id);
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_EQ(page.body.find(script), std::string::npos);
  EXPECT_NE(page.body.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);

  auto page2 = coord->get("/aanmeldingen/" + tmpl_id);
  ASSERT_EQ(page2.status, 200);
  EXPECT_NE(page2.body.find(tmpl), std::string::npos) << "template syntax is shown, not evaluated";
  EXPECT_EQ(page2.body.find("<svg onload"), std::string::npos);
  EXPECT_EQ(page2.body.find("\"><svg"), std::string::npos);

  auto list = coord->get("/aanmeldingen");
  ASSERT_EQ(list.status, 200);
  EXPECT_EQ(list.body.find(script), std::string::npos);
  EXPECT_EQ(list.body.find("<svg onload"), std::string::npos);
  EXPECT_NE(list.body.find("&lt;script&gt;"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Engines, PublicReferral, ::testing::ValuesIn(engines()));

}  // namespace
}  // namespace oploop::testing

#include "web/render.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "core/resources.hpp"
#include "i18n/catalogue.hpp"

namespace oploop::web {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

int count(const std::string& haystack, const std::string& needle) {
  int n = 0;
  for (auto pos = haystack.find(needle); pos != std::string::npos;
       pos = haystack.find(needle, pos + needle.size())) {
    ++n;
  }
  return n;
}

// The real templates and catalogues copied to a scratch directory, so a test can add its own
// page templates (and catalogue texts) next to the real layout and partials.
class RenderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::random_device random;
    root_ = fs::temp_directory_path() / ("oploop-render-" + std::to_string(random()));
    fs::create_directories(root_);
    fs::copy(resource_path("src/web/templates"), root_ / "templates", fs::copy_options::recursive);
    fs::copy(resource_path("data/i18n"), root_ / "i18n", fs::copy_options::recursive);
  }
  void TearDown() override { fs::remove_all(root_); }

  void add_template(const std::string& name, const std::string& source) {
    fs::path file = root_ / "templates" / (name + ".mustache");
    fs::create_directories(file.parent_path());
    std::ofstream(file) << source;
  }
  void add_text(const std::string& key, const std::string& nl, const std::string& en) {
    for (const auto& [lang, text] : {std::pair{"nl", nl}, std::pair{"en", en}}) {
      fs::path file = root_ / "i18n" / (std::string(lang) + ".json");
      json doc = json::parse(read_text_file(file));
      doc[key] = text;
      std::ofstream(file) << doc.dump(2);
    }
  }
  Renderer renderer() const {
    return Renderer::load(root_ / "templates", i18n::Catalogue::load((root_ / "i18n").string()));
  }

  static json signed_in_page() {
    return {{"lang", "nl"},
            {"title", "Vandaag"},
            {"asset_version", "abc123"},
            {"csrf_token", "token-42"},
            {"return_to", "/vandaag"},
            {"user", {{"name", "Sanne de Vries"}, {"role", "coordinator"}}},
            {"nav",
             {{{"label", "nav.home"}, {"href", "/"}, {"current", true}},
              {{"label", "nav.referrals"}, {"href", "/aanmeldingen"}, {"current", false}}}},
            {"flash", {{"kind", "ok"}, {"text", "Opgeslagen."}}},
            {"heading", "Goedemorgen"}};
  }

  fs::path root_;
};

TEST_F(RenderTest, PageWrapsTheBodyInTheLayout) {
  add_template("test/page", "<h1 class=\"utrecht-heading-1\">{{heading}}</h1>\n");
  const std::string html = renderer().page("test/page", signed_in_page());

  EXPECT_TRUE(html.starts_with("<!DOCTYPE html>\n<html lang=\"nl\">")) << html.substr(0, 80);
  EXPECT_NE(html.find("<title>Vandaag – Oploop</title>"), std::string::npos);
  EXPECT_NE(html.find("href=\"#inhoud\">Naar de inhoud</a>"), std::string::npos);
  EXPECT_NE(html.find("/static/oploop.css?v=abc123"), std::string::npos);
  EXPECT_NE(html.find("class=\"voorbeeld-theme utrecht-document"), std::string::npos);

  // The body lands inside <main id="inhoud">, after the status message.
  const auto main = html.find("id=\"inhoud\"");
  const auto status = html.find("role=\"status\"");
  const auto body = html.find("<h1 class=\"utrecht-heading-1\">Goedemorgen</h1>");
  const auto main_end = html.find("</main>");
  ASSERT_NE(main, std::string::npos);
  EXPECT_LT(main, status);
  EXPECT_LT(status, body);
  EXPECT_LT(body, main_end);
  EXPECT_NE(html.find("Opgeslagen."), std::string::npos);
  EXPECT_NE(html.find("utrecht-alert--ok"), std::string::npos);

  // Header: who is signed in, in which role; both forms carry the CSRF token.
  EXPECT_NE(html.find("Sanne de Vries"), std::string::npos);
  EXPECT_NE(html.find("Coördinator"), std::string::npos);
  EXPECT_EQ(count(html, "name=\"csrf_token\" value=\"token-42\""), 2);
  EXPECT_NE(html.find("action=\"/taal\""), std::string::npos);
  EXPECT_NE(html.find("name=\"lang\" value=\"en\" lang=\"en\">English</button>"),
            std::string::npos);
  EXPECT_NE(html.find("action=\"/uitloggen\""), std::string::npos);
  EXPECT_NE(html.find("name=\"next\" value=\"/vandaag\""), std::string::npos);

  // Navigation: only the current item is marked.
  EXPECT_NE(html.find("href=\"/\" aria-current=\"page\">Vandaag</a>"), std::string::npos);
  EXPECT_NE(html.find("href=\"/aanmeldingen\">Aanmeldingen</a>"), std::string::npos);
  EXPECT_EQ(count(html, "aria-current"), 1);

  // CSP: no inline script or style.
  EXPECT_EQ(count(html, "<script"), 1);
  EXPECT_NE(html.find("<script src=\"/static/oploop.js?v=abc123\" defer></script>"),
            std::string::npos);
  EXPECT_EQ(count(html, "style="), 0);
  EXPECT_EQ(count(html, "<style"), 0);
}

TEST_F(RenderTest, PageInEnglish) {
  add_template("test/page", "<p>{{#t}}login.failed{{/t}}</p>\n");
  json data = signed_in_page();
  data["lang"] = "en";
  const std::string html = renderer().page("test/page", data);
  EXPECT_TRUE(html.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
  EXPECT_NE(html.find(">Skip to content</a>"), std::string::npos);
  EXPECT_NE(html.find("value=\"nl\" lang=\"nl\">Nederlands</button>"), std::string::npos);
  EXPECT_NE(html.find(">Today</a>"), std::string::npos);
  EXPECT_NE(html.find("Coordinator"), std::string::npos);
  EXPECT_NE(html.find("<p>The e-mail address or password is not correct.</p>"), std::string::npos);
}

TEST_F(RenderTest, SignedOutPageHasNoAccountOrNavigation) {
  add_template("test/page", "<p>inloggen</p>\n");
  const std::string html = renderer().page("test/page", {{"title", "Inloggen"}});
  EXPECT_TRUE(html.starts_with("<!DOCTYPE html>\n<html lang=\"nl\">"));
  EXPECT_EQ(html.find("/uitloggen"), std::string::npos);
  EXPECT_EQ(html.find("<nav"), std::string::npos);
  EXPECT_NE(html.find("action=\"/taal\""), std::string::npos);  // language switch still there
  EXPECT_EQ(html.find("role=\"status\""), std::string::npos);   // no flash, no empty region
}

TEST_F(RenderTest, HostileValuesAreEscapedAndNeverRunAsTemplates) {
  add_template("test/page",
               "<p id=\"a\">{{comment}}</p><input value=\"{{value}}\">"
               "<p id=\"b\">{{#rows}}{{.}}{{/rows}}</p>{{> partials/button}}\n");
  json data = signed_in_page();
  data["title"] = "\"><svg onload=x>";
  data["user"]["name"] = "<script>alert(1)</script>";
  data["user"]["role"] = "{{csrf_token}}";
  data["flash"]["text"] = "{{7*7}}";
  data["comment"] = "{{> partials/form_field}}{{#t}}nav.home{{/t}}";
  data["value"] = "\" autofocus onfocus=\"alert(1)";
  data["rows"] = {"<b>1</b>", "{{{content}}}"};
  data["label"] = "<img src=x onerror=alert(1)>";
  // Data named like a partial or like the `t` lambda changes nothing.
  data["partials/button"] = "{{csrf_token}}";
  data["t"] = "{{csrf_token}}";
  const std::string html = renderer().page("test/page", data);

  EXPECT_EQ(html.find("<script>alert"), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
  EXPECT_NE(html.find("<title>&quot;&gt;&lt;svg onload=x&gt; – Oploop</title>"), std::string::npos);
  EXPECT_EQ(html.find("<svg"), std::string::npos);
  EXPECT_NE(html.find("{{7*7}}"), std::string::npos);
  EXPECT_EQ(html.find("49"), std::string::npos);
  EXPECT_NE(html.find("<p id=\"a\">{{&gt; partials/form_field}}{{#t}}nav.home{{/t}}</p>"),
            std::string::npos);
  EXPECT_NE(html.find("value=\"&quot; autofocus onfocus=&quot;alert(1)\""), std::string::npos);
  EXPECT_NE(html.find("<p id=\"b\">&lt;b&gt;1&lt;/b&gt;{{{content}}}</p>"), std::string::npos);
  EXPECT_NE(html.find(">&lt;img src=x onerror=alert(1)&gt;</button>"), std::string::npos);
  // The role key built from data is unknown: shown escaped, not filled from the context.
  EXPECT_NE(html.find("role.{{csrf_token}}"), std::string::npos);
  EXPECT_EQ(count(html, "token-42"), 2);  // only the two hidden inputs
}

TEST_F(RenderTest, TranslatesWithTheTLambda) {
  add_text("test.greeting", "Hallo {name} & welkom", "Hello {name} & welcome");
  add_template("test/t",
               "{{#t}}nav.home{{/t}}|{{#t}} nav.families {{/t}}|{{#t}}role.{{role}}{{/t}}|"
               "{{#t}}test.greeting{{/t}}|{{#t}}no.such.key{{/t}}|{{#t}}{{error}}{{/t}}");
  const Renderer r = renderer();
  json data = {{"role", "volunteer"}, {"name", "<Ali>"}, {"error", "validation.required"}};
  EXPECT_EQ(r.render("test/t", data),
            "Vandaag|Gezinnen|Vrijwilliger|Hallo &lt;Ali&gt; &amp; welkom|no.such.key|"
            "Vul dit veld in.");
  data["lang"] = "en";
  EXPECT_EQ(r.render("test/t", data),
            "Today|Families|Volunteer|Hello &lt;Ali&gt; &amp; welcome|no.such.key|"
            "Please fill in this field.");
  data["lang"] = "fr";  // unsupported: Dutch
  EXPECT_EQ(r.render("test/t", data).substr(0, 7), "Vandaag");
}

TEST_F(RenderTest, ConvertsJsonValues) {
  add_template("test/values",
               "{{int}} {{neg}} {{big}} {{real}} {{#yes}}Y{{/yes}}{{^no}}N{{/no}}"
               "{{^nothing}}0{{/nothing}}{{^empty}}E{{/empty}}{{^none}}L{{/none}}"
               "{{#list}}[{{.}}]{{/list}}{{#obj}}{{obj.a}}{{/obj}}");
  const json data = {{"int", 42},          {"neg", -7},          {"big", 18446744073709551615ull},
                     {"real", 1.5},        {"yes", true},        {"no", false},
                     {"nothing", nullptr}, {"empty", ""},        {"none", json::array()},
                     {"list", {1, "b"}},   {"obj", {{"a", "A"}}}};
  EXPECT_EQ(renderer().render("test/values", data), "42 -7 18446744073709551615 1.5 YN0EL[1][b]A");
}

TEST_F(RenderTest, UnknownTemplateThrows) {
  const Renderer r = renderer();
  EXPECT_TRUE(r.has("layout"));
  EXPECT_TRUE(r.has("partials/form_field"));
  EXPECT_FALSE(r.has("no/such/page"));
  EXPECT_THROW(r.render("no/such/page", json::object()), std::runtime_error);
  EXPECT_THROW(r.page("no/such/page", json::object()), std::runtime_error);
}

TEST_F(RenderTest, LoadRefusesBrokenTemplates) {
  add_template("test/typo", "{{> partials/form_feild}}");
  EXPECT_THROW(renderer(), std::runtime_error);
  add_template("test/typo", "{{#open}}never closed");
  EXPECT_THROW(renderer(), std::runtime_error);
  add_template("test/typo", "fine");
  EXPECT_NO_THROW(renderer());
  EXPECT_THROW(
      Renderer::load(root_ / "no-such-dir", i18n::Catalogue::load((root_ / "i18n").string())),
      std::runtime_error);
}

TEST_F(RenderTest, FormFieldShowsItsErrorAccessibly) {
  add_template("test/form", "{{#postcode}}{{> partials/form_field}}{{/postcode}}");
  const json field = {{"id", "postcode"},
                      {"name", "postcode"},
                      {"label", "Postcode"},
                      {"hint", "Bijvoorbeeld 1234 AB"},
                      {"value", "12<34"},
                      {"autocomplete", "postal-code"},
                      {"width", "postal-code-nl-size"},
                      {"error", "validation.postcode"}};
  const std::string html = renderer().render("test/form", {{"postcode", field}});
  EXPECT_NE(html.find("utrecht-form-field--invalid"), std::string::npos);
  EXPECT_NE(html.find("<label class=\"utrecht-form-label\" for=\"postcode\">Postcode</label>"),
            std::string::npos);
  EXPECT_NE(html.find("id=\"postcode-error\"><span class=\"oploop-visually-hidden\">Fout: "
                      "</span>Vul een postcode in zoals 1234 AB.</p>"),
            std::string::npos)
      << html;
  EXPECT_NE(html.find("id=\"postcode-hint\">Bijvoorbeeld 1234 AB</div>"), std::string::npos);
  EXPECT_NE(html.find("aria-invalid=\"true\""), std::string::npos);
  EXPECT_NE(html.find("aria-describedby=\"postcode-hint postcode-error\""), std::string::npos);
  EXPECT_NE(html.find("value=\"12&lt;34\""), std::string::npos);  // keeps what was typed
  EXPECT_NE(html.find("autocomplete=\"postal-code\""), std::string::npos);
  EXPECT_NE(html.find("utrecht-textbox--postal-code-nl-size utrecht-textbox--invalid"),
            std::string::npos);

  json valid = field;
  valid.erase("error");
  valid.erase("hint");
  const std::string ok = renderer().render("test/form", {{"postcode", valid}});
  EXPECT_EQ(ok.find("aria-invalid"), std::string::npos);
  EXPECT_EQ(ok.find("aria-describedby"), std::string::npos);
  EXPECT_EQ(ok.find("--invalid"), std::string::npos);
  EXPECT_NE(ok.find("type=\"text\""), std::string::npos);
}

TEST_F(RenderTest, ErrorSummaryLinksToTheFields) {
  add_template("test/summary", "{{> partials/form_errors_summary}}");
  const Renderer r = renderer();
  EXPECT_EQ(r.render("test/summary", json::object()).find("role=\"alert\""), std::string::npos);
  const std::string html = r.render(
      "test/summary", {{"error_summary",
                        {{"items",
                          {{{"id", "email"}, {"message", "validation.email"}},
                           {{"id", "consent"}, {"message", "validation.consent_required"}}}}}}});
  EXPECT_NE(html.find("role=\"alert\""), std::string::npos);
  EXPECT_NE(html.find(">Er ging iets mis</h2>"), std::string::npos);
  EXPECT_NE(html.find("href=\"#email\">Vul een e-mailadres in zoals naam@voorbeeld.nl.</a>"),
            std::string::npos);
  EXPECT_NE(html.find("href=\"#consent\">Het gezin moet toestemming geven"), std::string::npos);
}

TEST_F(RenderTest, TableShowsRowsOrTheEmptyState) {
  add_template("test/table", "{{#table}}{{> partials/table}}{{/table}}");
  json table = {{"id", "families"},
                {"caption", "nav.families"},
                {"column_count", 2},
                {"columns", {{{"label", "Naam"}}, {{"label", "Leden"}, {"numeric", true}}}},
                {"rows", json::array()}};
  const Renderer r = renderer();
  std::string html = r.render("test/table", {{"table", table}});
  EXPECT_NE(html.find("<caption class=\"utrecht-table__caption\" id=\"families-caption\">"
                      "Gezinnen</caption>"),
            std::string::npos);
  EXPECT_NE(html.find("colspan=\"2\">Er is nog niets om te tonen.</td>"), std::string::npos);

  table["rows"] = {{{"cells",
                     {{{"text", "Fam. <A>"}, {"href", "/gezinnen/1"}, {"header", true}},
                      {{"text", 4}, {"numeric", true}}}}}};
  html = r.render("test/table", {{"table", table}});
  EXPECT_EQ(html.find("Er is nog niets"), std::string::npos);
  EXPECT_NE(html.find("scope=\"row\"><a class=\"utrecht-link utrecht-link--html-a\" "
                      "href=\"/gezinnen/1\">Fam. &lt;A&gt;</a></th>"),
            std::string::npos);
  EXPECT_NE(html.find("utrecht-table__cell--numeric-data\">4</td>"), std::string::npos) << html;
}

TEST_F(RenderTest, RendersConcurrently) {
  add_template("test/page",
               "{{#fields}}{{> partials/form_field}}{{/fields}}{{> partials/pagination}}\n");
  json data = signed_in_page();
  for (int i = 0; i < 20; ++i) {
    data["fields"].push_back({{"id", "f" + std::to_string(i)},
                              {"name", "f"},
                              {"label", "validation.required"},
                              {"error", i % 2 ? "validation.email" : ""}});
  }
  data["pagination"] = {{"next", "/gezinnen?cursor=abc"}};
  const Renderer r = renderer();
  const std::string expected = r.page("test/page", data);
  ASSERT_NE(expected.find("rel=\"next\""), std::string::npos);
  std::vector<std::string> results(8);
  std::vector<std::thread> threads;
  for (std::size_t t = 0; t < results.size(); ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 50; ++i) {
        std::string html = r.page("test/page", data);
        if (html != expected) {
          results[t] = html;
          return;
        }
      }
      results[t] = expected;
    });
  }
  for (auto& thread : threads) thread.join();
  for (const auto& result : results) EXPECT_EQ(result, expected);
}

// e2e/harness.test.mjs checks this page's look and accessibility in Chromium, so it must be
// what the real layout and partials produce. After changing them, refresh it with
// OPLOOP_UPDATE_FIXTURES=1 and look at the new screenshots (e2e/README.md).
TEST_F(RenderTest, E2eSamplePageIsWhatTheTemplatesRender) {
  add_template("e2e/sample", read_text_file(resource_path("e2e/fixtures/sample-body.mustache")));
  const json data = json::parse(read_text_file(resource_path("e2e/fixtures/sample-page.json")));
  const std::string html = renderer().page("e2e/sample", data);
  const fs::path fixture = resource_path("e2e/fixtures/sample-page.html");
  if (const char* update = std::getenv("OPLOOP_UPDATE_FIXTURES"); update && *update == '1') {
    std::ofstream(fixture, std::ios::binary) << html;
  }
  EXPECT_EQ(read_text_file(fixture), html)
      << "e2e/fixtures/sample-page.html is stale: rerun this test with OPLOOP_UPDATE_FIXTURES=1";
}

TEST(RendererInstance, LoadsTheRealTemplates) {
  const Renderer& r = Renderer::instance();
  EXPECT_TRUE(r.has("layout"));
  for (const std::string partial :
       {"form_field", "form_textarea", "form_select", "form_checkbox", "form_radios",
        "form_errors_summary", "button", "table", "pagination", "data_list"}) {
    EXPECT_TRUE(r.has("partials/" + partial)) << partial;
  }
}

}  // namespace
}  // namespace oploop::web

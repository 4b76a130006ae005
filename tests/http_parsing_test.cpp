// Decoding what clients send: percent-encoding, queries, forms, cookies, UTF-8.
#include <gtest/gtest.h>

#include "http/message.hpp"

namespace oploop::http {
namespace {

using namespace std::string_literals;

TEST(PercentDecode, DecodesEscapesInEitherCase) {
  EXPECT_EQ(percent_decode("caf%C3%A9", false), "café");
  EXPECT_EQ(percent_decode("caf%c3%a9", false), "café");
  EXPECT_EQ(percent_decode("%2F%3f%25", false), "/?%");
}

TEST(PercentDecode, PlusIsSpaceOnlyWhenAsked) {
  EXPECT_EQ(percent_decode("a+b", true), "a b");
  EXPECT_EQ(percent_decode("a+b", false), "a+b");
  EXPECT_EQ(percent_decode("a%2Bb", true), "a+b");
}

TEST(PercentDecode, RefusesTruncatedOrNonHexEscapes) {
  EXPECT_FALSE(percent_decode("%", false));
  EXPECT_FALSE(percent_decode("%4", false));
  EXPECT_FALSE(percent_decode("abc%", false));
  EXPECT_FALSE(percent_decode("%G0", false));
  EXPECT_FALSE(percent_decode("%0G", false));
  EXPECT_FALSE(percent_decode("% 1", false));
  EXPECT_FALSE(percent_decode("%%41", false));
}

TEST(PercentDecode, KeepsNulBytesForTheCallerToJudge) {
  EXPECT_EQ(percent_decode("a%00b", false), "a\0b"s);
  EXPECT_EQ(percent_decode("", false), "");
}

TEST(PercentEncode, EncodesAllButUnreservedAndRoundTrips) {
  EXPECT_EQ(percent_encode("AZaz09-._~"), "AZaz09-._~");
  EXPECT_EQ(percent_encode("a b&c=d/é"), "a%20b%26c%3Dd%2F%C3%A9");
  std::string all;
  for (int c = 0; c < 256; ++c) {
    all.push_back(static_cast<char>(c));
  }
  EXPECT_EQ(percent_decode(percent_encode(all), false), all);
  EXPECT_EQ(percent_decode(percent_encode(all), true), all);  // '+' is encoded, so it survives
}

TEST(ParseQuery, KeepsDuplicatesInOrder) {
  auto params = parse_query("b=2&a=1&b=3");
  ASSERT_TRUE(params);
  Params expected = {{"b", "2"}, {"a", "1"}, {"b", "3"}};
  EXPECT_EQ(*params, expected);
}

TEST(ParseQuery, DecodesPlusAndEscapes) {
  auto params = parse_query("q=jan+de+vries&city=%27s-Hertogenbosch&x=a%2Bb");
  ASSERT_TRUE(params);
  Params expected = {{"q", "jan de vries"}, {"city", "'s-Hertogenbosch"}, {"x", "a+b"}};
  EXPECT_EQ(*params, expected);
}

TEST(ParseQuery, EmptyValuesAndBareNames) {
  auto params = parse_query("a=&b&c==x");
  ASSERT_TRUE(params);
  Params expected = {{"a", ""}, {"b", ""}, {"c", "=x"}};
  EXPECT_EQ(*params, expected);
}

TEST(ParseQuery, SkipsEmptyPiecesAndEmptyNames) {
  auto params = parse_query("&&a=1&&=orphan&");
  ASSERT_TRUE(params);
  Params expected = {{"a", "1"}};
  EXPECT_EQ(*params, expected);
  EXPECT_EQ(parse_query("")->size(), 0u);
}

TEST(ParseQuery, RefusesBadEncodingInvalidUtf8AndNul) {
  EXPECT_FALSE(parse_query("a=%ZZ"));
  EXPECT_FALSE(parse_query("a%=1"));
  EXPECT_FALSE(parse_query("a=%C3"));        // truncated sequence
  EXPECT_FALSE(parse_query("a=%C0%AF"));     // overlong '/'
  EXPECT_FALSE(parse_query("a=%ED%A0%80"));  // surrogate
  EXPECT_FALSE(parse_query("a=x%00y"));
  EXPECT_FALSE(parse_query("ok=1&bad=%FF"));  // one bad field spoils the whole query
}

TEST(ParseForm, DecodesLikeABrowserSends) {
  auto form = parse_form(
      "naam=Fatima+El+Amrani&opmerking=%3Cscript%3Ealert(1)%3C%2Fscript%3E"
      "&emoji=%F0%9F%98%80");
  ASSERT_TRUE(form);
  Params expected = {
      {"naam", "Fatima El Amrani"}, {"opmerking", "<script>alert(1)</script>"}, {"emoji", "😀"}};
  EXPECT_EQ(*form, expected);
}

TEST(ParseForm, HostileInputNeverCrashes) {
  std::string big(100000, '&');
  EXPECT_EQ(parse_form(big)->size(), 0u);
  std::string many;
  for (int i = 0; i < 10000; ++i) {
    many += "k=v&";
  }
  EXPECT_EQ(parse_form(many)->size(), 10000u);
  EXPECT_FALSE(parse_form(std::string(1000, '%')));
  EXPECT_TRUE(parse_form("a=\r\n%0D%0A"));  // CR/LF are valid text; escaping is the logger's job
  EXPECT_FALSE(parse_form("\xff=1"));
}

TEST(ParseCookies, ToleratesSpacingQuotesAndJunk) {
  auto cookies = parse_cookies(" a=1;b=2 ;  c = \"3\" ; junk; =nameless; d=");
  EXPECT_EQ(cookies.size(), 4u);
  EXPECT_EQ(cookies["a"], "1");
  EXPECT_EQ(cookies["b"], "2");
  EXPECT_EQ(cookies["c"], "3");
  EXPECT_EQ(cookies["d"], "");
  EXPECT_TRUE(parse_cookies("").empty());
  EXPECT_TRUE(parse_cookies(";;;").empty());
}

TEST(ParseCookies, FirstOfADuplicatedNameWins) {
  auto cookies = parse_cookies("__Host-session=mine; __Host-session=planted");
  EXPECT_EQ(cookies["__Host-session"], "mine");
}

TEST(ParseCookies, ValuesAreNotDecoded) {
  auto cookies = parse_cookies("t=a%20b+c=d");
  EXPECT_EQ(cookies["t"], "a%20b+c=d");
}

TEST(Utf8, AcceptsValidText) {
  EXPECT_TRUE(is_valid_utf8(""));
  EXPECT_TRUE(is_valid_utf8("plain ascii"));
  EXPECT_TRUE(is_valid_utf8("Zoë, Ünal, Łukasz, عائشة, 😀"));
  EXPECT_TRUE(is_valid_utf8("\x7f"));
  EXPECT_TRUE(is_valid_utf8("\xC2\x80"));          // U+0080
  EXPECT_TRUE(is_valid_utf8("\xEF\xBF\xBF"));      // U+FFFF
  EXPECT_TRUE(is_valid_utf8("\xF4\x8F\xBF\xBF"));  // U+10FFFF
  EXPECT_TRUE(is_valid_utf8("a\0b"s));             // NUL is valid UTF-8
}

TEST(Utf8, RefusesMalformedSequences) {
  EXPECT_FALSE(is_valid_utf8("\x80"));              // lone continuation
  EXPECT_FALSE(is_valid_utf8("\xC3"));              // truncated
  EXPECT_FALSE(is_valid_utf8("\xE2\x82"));          // truncated
  EXPECT_FALSE(is_valid_utf8("\xC3\x28"));          // bad continuation
  EXPECT_FALSE(is_valid_utf8("\xC0\xAF"));          // overlong '/'
  EXPECT_FALSE(is_valid_utf8("\xC1\xBF"));          // overlong
  EXPECT_FALSE(is_valid_utf8("\xE0\x80\xAF"));      // overlong
  EXPECT_FALSE(is_valid_utf8("\xF0\x80\x80\xAF"));  // overlong
  EXPECT_FALSE(is_valid_utf8("\xED\xA0\x80"));      // U+D800
  EXPECT_FALSE(is_valid_utf8("\xED\xBF\xBF"));      // U+DFFF
  EXPECT_FALSE(is_valid_utf8("\xF4\x90\x80\x80"));  // U+110000
  EXPECT_FALSE(is_valid_utf8("\xF8\x88\x80\x80\x80"));
  EXPECT_FALSE(is_valid_utf8("\xFE"));
  EXPECT_FALSE(is_valid_utf8("\xFF"));
}

TEST(Headers, NamesCompareCaseInsensitively) {
  Request r;
  r.headers.emplace("Content-Type", "text/plain");
  EXPECT_EQ(r.header("content-type"), "text/plain");
  EXPECT_EQ(r.header("CONTENT-TYPE"), "text/plain");
  EXPECT_FALSE(r.header("Content-Length"));
  HeaderLess less;
  EXPECT_FALSE(less("X-A", "x-a"));
  EXPECT_FALSE(less("x-a", "X-A"));
  EXPECT_TRUE(less("a", "B"));
}

TEST(Response, HelpersSetTypeAndLocation) {
  auto t = Response::text(404, "nee");
  EXPECT_EQ(t.status, 404);
  EXPECT_EQ(t.header("content-type"), "text/plain; charset=utf-8");
  auto h = Response::html(200, "<p>ja</p>");
  EXPECT_EQ(h.header("Content-Type"), "text/html; charset=utf-8");
  auto r = Response::redirect("/login");
  EXPECT_EQ(r.status, 303);
  EXPECT_EQ(r.header("Location"), "/login");
  EXPECT_TRUE(r.body.empty());
  r.set_header("location", "/elsewhere");
  EXPECT_EQ(r.headers.count("Location"), 1u);
  EXPECT_EQ(r.header("Location"), "/elsewhere");
}

}  // namespace
}  // namespace oploop::http

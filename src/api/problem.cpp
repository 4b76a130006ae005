#include "api/problem.hpp"

#include "i18n/catalogue.hpp"

namespace oploop::api {
namespace {

const char* title_key(int status) {
  switch (status) {
    case 400:
      return "error.bad_request";
    case 401:
      return "error.unauthorized";
    case 403:
      return "error.forbidden";
    case 404:
      return "error.not_found";
    case 405:
      return "error.method_not_allowed";
    case 409:
      return "error.conflict";
    case 413:
      return "error.too_large";
    case 415:
      return "error.unsupported_media_type";
    case 422:
      return "error.invalid";
    case 429:
      return "error.rate_limited";
    default:
      return "error.internal";
  }
}

}  // namespace

int status_of(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::invalid:
      return 422;
    case ErrorKind::not_found:
      return 404;
    case ErrorKind::forbidden:
      return 403;
    case ErrorKind::unauthorized:
      return 401;
    case ErrorKind::conflict:
      return 409;
    case ErrorKind::rate_limited:
      return 429;
    case ErrorKind::bad_request:
      return 400;
    case ErrorKind::internal:
      return 500;
  }
  return 500;
}

http::Response json_response(int status, const nlohmann::json& body) {
  return http::Response::text(status,
                              body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace),
                              "application/json; charset=utf-8");
}

namespace {

http::Response build(int status, const std::string& message,
                     const std::map<std::string, std::string>& fields,
                     const std::string& language) {
  const auto& cat = i18n::Catalogue::instance();
  nlohmann::json body = {
      {"type", "about:blank"},
      {"title", cat.text(language, title_key(status))},
      {"status", status},
  };
  // Internal errors say nothing more; the others say what the domain said.
  if (status != 500 && !message.empty()) body["detail"] = cat.text(language, message);
  if (!fields.empty()) {
    nlohmann::json errors = nlohmann::json::object();
    for (const auto& [field, key] : fields) errors[field] = cat.text(language, key);
    body["errors"] = errors;
  }
  auto res = http::Response::text(
      status, body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace),
      "application/problem+json; charset=utf-8");
  if (status == 401) res.set_header("WWW-Authenticate", "Bearer");
  return res;
}

}  // namespace

http::Response problem(const Error& error, const std::string& language) {
  return build(status_of(error.kind), error.message, error.fields, language);
}

http::Response problem(int status, const std::string& message_key, const std::string& language) {
  return build(status, message_key, {}, language);
}

}  // namespace oploop::api

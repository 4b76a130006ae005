// Errors as values. A domain call returns Result<T>: the value or a typed Error.
// Messages are text-catalogue keys (data/i18n/*.json), so the adapters can say them
// in the user's language; `fields` maps a field name to its message key.
#pragma once

#include <expected>
#include <map>
#include <string>
#include <utility>

namespace oploop {

enum class ErrorKind {
  invalid,       // 422: the input breaks a rule; see fields
  not_found,     // 404: absent, or in another organisation (never say which)
  forbidden,     // 403: own organisation, but this role may not
  unauthorized,  // 401: no valid credentials
  conflict,      // 409: illegal state transition or duplicate
  rate_limited,  // 429
  bad_request,   // 400: malformed request (not a validation failure)
  internal,      // 500: never carries details to the client
};

struct Error {
  ErrorKind kind = ErrorKind::internal;
  std::string message;                        // catalogue key, e.g. "error.not_found"
  std::map<std::string, std::string> fields;  // field -> catalogue key

  static Error invalid(std::map<std::string, std::string> fields,
                       std::string message = "error.invalid") {
    return {ErrorKind::invalid, std::move(message), std::move(fields)};
  }
  static Error not_found() { return {ErrorKind::not_found, "error.not_found", {}}; }
  static Error forbidden() { return {ErrorKind::forbidden, "error.forbidden", {}}; }
  static Error unauthorized() { return {ErrorKind::unauthorized, "error.unauthorized", {}}; }
  static Error conflict(std::string message) {
    return {ErrorKind::conflict, std::move(message), {}};
  }
  static Error rate_limited() { return {ErrorKind::rate_limited, "error.rate_limited", {}}; }
  static Error bad_request(std::string message = "error.bad_request") {
    return {ErrorKind::bad_request, std::move(message), {}};
  }
};

template <class T>
using Result = std::expected<T, Error>;
using Status = std::expected<void, Error>;

inline std::unexpected<Error> fail(Error e) { return std::unexpected<Error>(std::move(e)); }

}  // namespace oploop

// TRY(expr): evaluate a Result; on error return it from the enclosing function,
// otherwise yield the value. TRY_STATUS for Result<void>. (GNU statement expressions,
// supported by g++ and clang.)
#define TRY(expr)                                                                          \
  ({                                                                                       \
    auto&& oploop_try_result_ = (expr);                                                    \
    if (!oploop_try_result_) return ::oploop::fail(std::move(oploop_try_result_).error()); \
    std::move(oploop_try_result_).value();                                                 \
  })
#define TRY_STATUS(expr)                                                                   \
  do {                                                                                     \
    auto&& oploop_try_result_ = (expr);                                                    \
    if (!oploop_try_result_) return ::oploop::fail(std::move(oploop_try_result_).error()); \
  } while (0)

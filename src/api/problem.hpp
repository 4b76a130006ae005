// RFC 9457 problem details (application/problem+json) for every API error. A 422 carries
// `errors: {field: message}`; messages are in the caller's language. Never internals.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "core/result.hpp"
#include "http/message.hpp"

namespace oploop::api {

int status_of(ErrorKind kind);
http::Response problem(const Error& error, const std::string& language);
http::Response problem(int status, const std::string& message_key, const std::string& language);
http::Response json_response(int status, const nlohmann::json& body);

}  // namespace oploop::api

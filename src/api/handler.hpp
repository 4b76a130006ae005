// Small helpers shared by the API route files.
#pragma once

#include "api/body.hpp"
#include "api/problem.hpp"
#include "app/context.hpp"

// Inside a handler returning http::Response: unwrap a Result or answer its problem.
#define API_TRY(expr)                                                          \
  ({                                                                           \
    auto&& oploop_api_result_ = (expr);                                        \
    if (!oploop_api_result_)                                                   \
      return ::oploop::api::problem(oploop_api_result_.error(), ctx.language); \
    std::move(oploop_api_result_).value();                                     \
  })

namespace oploop::api {

inline nlohmann::json list_body(nlohmann::json items, const std::optional<std::string>& next) {
  return {{"items", std::move(items)},
          {"next_cursor", next ? nlohmann::json(*next) : nlohmann::json(nullptr)}};
}

// 422 from a Reader's collected type errors, if any.
inline std::optional<http::Response> reader_problem(Reader& reader,
                                                    const app::RequestContext& ctx) {
  if (reader.errors().empty()) return std::nullopt;
  return problem(Error::invalid(reader.errors()), ctx.language);
}

}  // namespace oploop::api

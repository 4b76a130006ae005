#include "volunteers/volunteer.hpp"

#include "core/clock.hpp"

namespace oploop::volunteers {

std::string vog_valid_until(const std::string& issued_on, int validity_years) {
  if (!is_valid_date(issued_on)) return {};
  std::string out =
      std::to_string(std::stoi(issued_on.substr(0, 4)) + validity_years) + issued_on.substr(4);
  if (out.substr(5) == "02-29" && !is_valid_date(out)) out = out.substr(0, 5) + "03-01";
  return out;
}

std::vector<Blocker> blockers(const Volunteer& v, const std::string& today) {
  std::vector<Blocker> out;
  if (v.status != "available" && v.status != "matched")
    out.push_back({"status", "volunteer.blocker.status_" + v.status, ""});
  if (v.screening.vog_issued_on.empty()) {
    out.push_back({"vog_missing", "volunteer.blocker.vog_missing", ""});
  } else if (!v.vog_valid_until.empty() && v.vog_valid_until <= today) {
    out.push_back({"vog_expired", "volunteer.blocker.vog_expired", v.vog_valid_until});
  }
  if (v.screening.training_completed_on.empty())
    out.push_back({"training_missing", "volunteer.blocker.training_missing", ""});
  if (v.screening.code_signed_on.empty())
    out.push_back({"code_missing", "volunteer.blocker.code_missing", ""});
  if (v.open_matches >= v.max_families) out.push_back({"full", "volunteer.blocker.full", ""});
  return out;
}

bool eligible(const Volunteer& v, const std::string& today) { return blockers(v, today).empty(); }

bool vog_lapsing(const Volunteer& v, const std::string& today) {
  if (v.vog_valid_until.empty() || v.vog_valid_until <= today) return false;
  return days_between(today, v.vog_valid_until) <= 60;
}

bool may_move(const std::string& from, const std::string& to) {
  if (to == "stopped") return from != "stopped" && from != "matched";
  if (from == "applicant") return to == "screening";
  if (from == "screening") return to == "available";
  if (from == "available") return to == "paused";
  if (from == "paused") return to == "available";
  return false;
}

}  // namespace oploop::volunteers

// The project lead's view over the teams (SPEC §3): per team the figures that say where work
// piles up. Counts only — no names — so reading them is not a read of personal data and is not
// access-logged; the lists behind each figure are, when opened.
#pragma once

#include <string>
#include <vector>

#include "auth/actor.hpp"
#include "core/result.hpp"
#include "storage/database.hpp"

namespace oploop::dashboard {

struct TeamFigures {
  std::string team_id;
  std::string team_name;
  int new_referrals = 0;
  int waiting_families = 0;
  int running_matches = 0;  // introduction, active, stepping down
  int open_concerns = 0;    // open or acknowledged
  int urgent_open = 0;      // urgent and not yet acknowledged
  int available_volunteers = 0;
};

// One row per team of the caller's organisation, by team name; forbidden unless the role
// sees the whole organisation (Action::team_overview).
Result<std::vector<TeamFigures>> team_overview(storage::Connection& c, const auth::Actor& actor);

}  // namespace oploop::dashboard

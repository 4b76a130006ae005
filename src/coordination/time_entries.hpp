// Coordinator time (SPEC §2.8, §5): minutes spent by kind, optionally for one family. A
// coordinator records, lists and removes their own entries; a project lead lists everyone's in
// the organisation, with totals. An entry can be removed only in the week it was recorded in
// (Monday to Sunday, Amsterdam, by when it was created — not the day it is for): after that the
// week counts as closed (409). A removal keeps the entry with removed_at/removed_by; removed
// entries are left out of every list, total and coordinator_minutes(). The minutes feed the
// programme cost of the savings estimate through coordinator_minutes().
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "auth/actor.hpp"
#include "core/page.hpp"
#include "core/result.hpp"
#include "storage/database.hpp"

namespace oploop::coordination {

struct TimeEntry {
  std::string id;
  std::string organisation_id;
  std::string user_id;
  std::string user_name;
  std::string date;
  int minutes = 0;
  std::string kind;
  std::optional<std::string> family_id;
  std::string family_name;
  std::string created_at;
};

struct TimeEntryInput {
  std::string date;
  int minutes = 0;  // 1..720
  std::string kind;
  std::optional<std::string> family_id;  // must be a family within the caller's scope
};

struct TimeEntryFilter {
  std::optional<std::string> from, to;  // inclusive dates
  std::optional<std::string> user_id;
  std::optional<std::string> family_id;
  PageRequest page;
};

// A page of entries and the sum of the minutes of every entry the filter selects (all pages).
struct TimeEntryList {
  Page<TimeEntry> page;
  long long total_minutes = 0;
};

// intake, matching, supervision, peer_group, training, partner_consultation, family_support,
// administration, other.
const std::vector<std::string>& time_kinds();

Result<TimeEntry> record_time(storage::Connection& c, const auth::Actor& actor,
                              const TimeEntryInput& input);
// Newest first. A coordinator sees only their own entries; a project lead all of the
// organisation's.
Result<TimeEntryList> list_time_entries(storage::Connection& c, const auth::Actor& actor,
                                        const TimeEntryFilter& filter);
// Own entries only (another's, or one already removed, is unknown: 404); 409 once the week the
// entry was recorded in is over. The entry is kept, marked removed.
Status delete_time_entry(storage::Connection& c, const auth::Actor& actor, const std::string& id);

// Whether the entry may still be removed today (Amsterdam date): it was recorded this week.
// Assumes the caller owns it.
bool may_remove(const TimeEntry& entry, const std::string& today);

// The minutes recorded (and not removed) in an organisation between `from` and `to` (inclusive
// dates; "" leaves that end open), for one family when `family_id` is given. No checks and no
// access log: for the savings model, which checks and logs its own reads.
int coordinator_minutes(storage::Connection& c, const std::string& organisation_id,
                        const std::string& from, const std::string& to,
                        const std::optional<std::string>& family_id);

// Families a caller may book time on (within scope, not closed), by name, for the forms.
struct FamilyChoice {
  std::string id;
  std::string name;
};
std::vector<FamilyChoice> bookable_families(storage::Connection& c, const auth::Actor& actor);

}  // namespace oploop::coordination

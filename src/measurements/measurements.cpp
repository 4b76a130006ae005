#include "measurements/measurements.hpp"

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

#include "auth/gate.hpp"
#include "core/clock.hpp"
#include "core/random.hpp"
#include "families/families.hpp"
#include "matches/matches.hpp"

namespace oploop::measurements {
namespace {

using auth::Action;

constexpr const char* kColumns =
    "SELECT m.id, m.organisation_id, m.family_id, f.team_id, m.instrument, m.instrument_version, "
    "m.wave, m.respondent, m.taken_on, COALESCE(m.created_by, ''), m.created_at, m.updated_at "
    "FROM measurements m JOIN families f ON f.id = m.family_id ";

Measurement measurement_from(const storage::Row& r) {
  Measurement m;
  m.id = r.text(0);
  m.organisation_id = r.text(1);
  m.family_id = r.text(2);
  m.team_id = r.optional_text(3);
  m.instrument = r.text(4);
  m.instrument_version = static_cast<int>(r.integer(5));
  m.wave = static_cast<int>(r.integer(6));
  m.respondent = r.text(7);
  m.date = r.text(8);
  m.created_by = r.text(9);
  m.created_at = r.text(10);
  m.updated_at = r.text(11);
  return m;
}

Answers answers_from_json(const std::string& text) {
  Answers out;
  const auto j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_object())
    for (const auto& [k, v] : j.items())
      if (v.is_number_integer()) out[k] = v.get<int>();
  return out;
}

// Answers, scores and history of a loaded measurement.
void complete(storage::Connection& c, Measurement& m) {
  for (const auto& r : c.query("SELECT item_code, value FROM measurement_answers "
                               "WHERE measurement_id = ? ORDER BY item_code",
                               {m.id}))
    m.answers[r.text(0)] = static_cast<int>(r.integer(1));
  if (const auto* ins = InstrumentCatalogue::instance().find(m.instrument, m.instrument_version))
    m.domain_scores = domain_scores(*ins, m.answers);
  for (const auto& r :
       c.query("SELECT r.previous, r.changed_by, COALESCE(u.name, ''), r.changed_at "
               "FROM measurement_revisions r LEFT JOIN users u ON u.id = r.changed_by "
               "WHERE r.measurement_id = ? ORDER BY r.changed_at, r.id",
               {m.id})) {
    const auto previous = nlohmann::json::parse(r.text(0), nullptr, false);
    Revision rev;
    if (previous.is_object()) {
      rev.date = previous.value("date", "");
      if (previous.contains("answers")) rev.answers = answers_from_json(previous["answers"].dump());
    }
    rev.changed_by = r.text(1);
    rev.changed_by_name = r.text(2);
    rev.changed_at = r.text(3);
    m.history.push_back(std::move(rev));
  }
}

std::optional<Measurement> load(storage::Connection& c, const std::string& id) {
  auto row = c.query_one(std::string(kColumns) + "WHERE m.id = ?", {id});
  if (!row) return std::nullopt;
  Measurement m = measurement_from(*row);
  complete(c, m);
  return m;
}

std::optional<std::string> date_error(const std::string& date, const std::string& today) {
  if (date.empty()) return "validation.required";
  if (!is_valid_date(date)) return "validation.date";
  if (date < "1990-01-01") return "validation.date_range";
  if (date > today) return "validation.date_future";
  return std::nullopt;
}

// The answers checked against the instrument: every item named, on its scale, a whole number,
// and every required item answered. Errors under "answers.<item code>".
Answers checked_answers(const Instrument& ins, const std::map<std::string, double>& given,
                        std::map<std::string, std::string>& errors) {
  Answers out;
  for (const auto& [code, value] : given) {
    const Item* item = ins.item(code);
    if (!item) {
      errors["answers." + code] = "measurements.validation.unknown_item";
      continue;
    }
    if (!std::isfinite(value) || value != std::floor(value) || value < item->scale.min ||
        value > item->scale.max) {
      errors["answers." + code] = "measurements.validation.out_of_scale";
      continue;
    }
    out[code] = static_cast<int>(value);
  }
  for (const auto& item : ins.items)
    if (item.required && !given.contains(item.code))
      errors["answers." + item.code] = "measurements.validation.required_item";
  return out;
}

auth::ResourceRef resource_of(storage::Connection& c, const families::Family& f) {
  return {f.organisation_id, f.team_id, matches::family_owners(c, f.id)};
}

// The policy's decision for `action` on the family's measurements, logged when refused.
Status decide(auth::Gate& gate, storage::Connection& c, const families::Family& family,
              Action action, const std::string& event, const std::string& object) {
  auto ok = auth::check(gate.actor().principal, action, resource_of(c, family));
  if (ok) return ok;
  if (ok.error().kind == ErrorKind::not_found)
    return fail(gate.missing(event, "measurement", object));
  gate.deny(event, "measurement", object, std::string(auth::to_string(action)));
  return ok;
}

void save_answers(storage::Connection& c, const std::string& id, const Answers& answers) {
  c.execute("DELETE FROM measurement_answers WHERE measurement_id = ?", {id});
  for (const auto& [code, value] : answers)
    c.execute("INSERT INTO measurement_answers (measurement_id, item_code, value) VALUES (?, ?, ?)",
              {id, code, std::int64_t{value}});
}

std::string details_of(const Measurement& m) {
  return "family=" + m.family_id + ",instrument=" + m.instrument + ".v" +
         std::to_string(m.instrument_version) + ",wave=" + std::to_string(m.wave) +
         ",respondent=" + m.respondent;
}

}  // namespace

Result<Measurement> record_measurement(storage::Connection& c, const auth::Actor& actor,
                                       const std::string& family_id,
                                       const MeasurementInput& input) {
  storage::Transaction tx(c);
  auth::Gate gate(c, actor);
  const std::string object = "family:" + family_id;
  auto family = families::load_family(c, family_id);
  if (!family) {
    Error e = gate.missing("create", "measurement", object);
    tx.commit();
    return fail(e);
  }
  // The right first, then the input: a refused caller is refused whatever they sent.
  if (auto ok = decide(gate, c, *family, Action::measurement_record, "create", object); !ok) {
    tx.commit();
    return fail(ok.error());
  }
  if (actor.principal.role == auth::Role::volunteer && input.respondent != "family") {
    gate.deny("create", "measurement", object, "volunteer_respondent");
    tx.commit();
    return fail(Error::forbidden());
  }

  std::map<std::string, std::string> errors;
  const auto& catalogue = InstrumentCatalogue::instance();
  const Instrument* ins = nullptr;
  if (input.instrument.empty())
    errors["instrument"] = "validation.required";
  else if (input.instrument_version)
    ins = catalogue.find(input.instrument, *input.instrument_version);
  else
    ins = catalogue.current(input.instrument);
  if (!ins && !errors.contains("instrument"))
    errors[catalogue.current(input.instrument) ? "instrument_version" : "instrument"] =
        "validation.choice";
  if (input.wave < kBaseline || input.wave > kFinal) errors["wave"] = "validation.choice";
  const auto& all = respondents();
  if (std::find(all.begin(), all.end(), input.respondent) == all.end())
    errors["respondent"] = input.respondent.empty() ? "validation.required" : "validation.choice";
  else if (ins && std::find(ins->respondents.begin(), ins->respondents.end(), input.respondent) ==
                      ins->respondents.end())
    errors["respondent"] = "measurements.validation.respondent";
  if (auto e = date_error(input.date, amsterdam_date(actor.clock.now()))) errors["date"] = *e;
  Answers answers;
  if (ins) answers = checked_answers(*ins, input.answers, errors);
  if (!errors.empty()) return fail(Error::invalid(errors));

  if (c.query_one("SELECT id FROM measurements WHERE family_id = ? AND instrument = ? "
                  "AND wave = ? AND respondent = ?",
                  {family->id, ins->code, std::int64_t{input.wave}, input.respondent}))
    return fail(Error::conflict("measurements.duplicate"));

  const std::string id = new_id();
  const std::string now = to_rfc3339(actor.clock.now());
  c.execute(
      "INSERT INTO measurements (id, organisation_id, family_id, instrument, instrument_version, "
      "wave, respondent, taken_on, created_by, created_at, updated_at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {id, family->organisation_id, family->id, ins->code, std::int64_t{ins->version},
       std::int64_t{input.wave}, input.respondent, input.date, actor.principal.user_id, now, now});
  save_answers(c, id, answers);
  auto created = load(c, id);
  gate.log("create", "measurement", id, details_of(*created));
  tx.commit();
  return *created;
}

Result<std::vector<Measurement>> family_measurements(storage::Connection& c,
                                                     const auth::Actor& actor,
                                                     const std::string& family_id) {
  storage::Transaction tx(c);
  auth::Gate gate(c, actor);
  const std::string object = "family:" + family_id;
  auto family = families::load_family(c, family_id);
  if (!family) {
    Error e = gate.missing("list", "measurement", object);
    tx.commit();
    return fail(e);
  }
  if (auto ok = decide(gate, c, *family, Action::measurement_list, "list", object); !ok) {
    tx.commit();
    return fail(ok.error());
  }
  std::vector<Measurement> out;
  for (const auto& r : c.query(std::string(kColumns) +
                                   "WHERE m.family_id = ? "
                                   "ORDER BY m.wave, m.taken_on, m.instrument, m.respondent, m.id",
                               {family_id})) {
    out.push_back(measurement_from(r));
    complete(c, out.back());
  }
  std::string ids = "ids=";
  for (std::size_t i = 0; i < out.size(); ++i) ids += (i ? "," : "") + out[i].id;
  gate.log("list", "measurement", object, ids);
  tx.commit();
  return out;
}

Result<Measurement> get_measurement(storage::Connection& c, const auth::Actor& actor,
                                    const std::string& id) {
  storage::Transaction tx(c);
  auth::Gate gate(c, actor);
  auto m = load(c, id);
  auto family = m ? families::load_family(c, m->family_id) : std::nullopt;
  if (!m || !family) {
    Error e = gate.missing("view", "measurement", id);
    tx.commit();
    return fail(e);
  }
  if (auto ok = decide(gate, c, *family, Action::measurement_list, "view", id); !ok) {
    tx.commit();
    return fail(ok.error());
  }
  gate.log("view", "measurement", id, "family=" + m->family_id);
  tx.commit();
  return *m;
}

Result<Measurement> correct_measurement(storage::Connection& c, const auth::Actor& actor,
                                        const std::string& id, const Correction& correction) {
  storage::Transaction tx(c);
  auth::Gate gate(c, actor);
  auto m = load(c, id);
  auto family = m ? families::load_family(c, m->family_id) : std::nullopt;
  if (!m || !family) {
    Error e = gate.missing("update", "measurement", id);
    tx.commit();
    return fail(e);
  }
  if (auto ok = decide(gate, c, *family, Action::measurement_correct, "update", id); !ok) {
    tx.commit();
    return fail(ok.error());
  }
  std::map<std::string, std::string> errors;
  const Instrument* ins =
      InstrumentCatalogue::instance().find(m->instrument, m->instrument_version);
  if (!ins) return fail(Error::conflict("measurements.instrument_gone"));
  if (auto e = date_error(correction.date, amsterdam_date(actor.clock.now()))) errors["date"] = *e;
  Answers answers = checked_answers(*ins, correction.answers, errors);
  if (!errors.empty()) return fail(Error::invalid(errors));

  nlohmann::json previous = {{"date", m->date}, {"answers", nlohmann::json::object()}};
  for (const auto& [code, value] : m->answers) previous["answers"][code] = value;
  const std::string now = to_rfc3339(actor.clock.now());
  c.execute(
      "INSERT INTO measurement_revisions (id, measurement_id, previous, changed_by, changed_at) "
      "VALUES (?, ?, ?, ?, ?)",
      {new_id(), id, previous.dump(), actor.principal.user_id, now});
  c.execute("UPDATE measurements SET taken_on = ?, updated_at = ? WHERE id = ?",
            {correction.date, now, id});
  save_answers(c, id, answers);
  auto updated = load(c, id);
  gate.log("update", "measurement", id, details_of(*updated));
  tx.commit();
  return *updated;
}

bool has_wave(storage::Connection& c, const std::string& family_id, int wave) {
  return c
      .query_one("SELECT 1 FROM measurements WHERE family_id = ? AND wave = ?",
                 {family_id, std::int64_t{wave}})
      .has_value();
}

}  // namespace oploop::measurements

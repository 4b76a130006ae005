#include "concerns/meldcode.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "auth/gate.hpp"
#include "core/random.hpp"
#include "core/text.hpp"

namespace oploop::concerns {
namespace {

constexpr const char* kMissingStep = "meldcode.missing_step.";

struct ConcernFacts {
  auth::ResourceRef resource;
  std::string category;
};

std::optional<ConcernFacts> concern_facts(storage::Connection& c, const std::string& id) {
  auto r = c.query_one(
      "SELECT organisation_id, team_id, raised_by, category FROM concerns WHERE id = ?", {id});
  if (!r) return std::nullopt;
  return ConcernFacts{{r->text(0), r->optional_text(1), {r->text(2)}}, r->text(3)};
}

std::string answers_json(const AssessmentAnswers& answers) {
  nlohmann::json j = nlohmann::json::object();
  for (const auto& [code, a] : answers)
    j[code] = {{"answer", a.answer}, {"explanation", a.explanation}};
  return j.dump();
}

AssessmentAnswers answers_from(const std::string& stored) {
  AssessmentAnswers out;
  auto j = nlohmann::json::parse(stored, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) return out;
  for (const auto& [code, a] : j.items())
    if (a.is_object()) out[code] = {a.value("answer", ""), a.value("explanation", "")};
  return out;
}

// Every entry of a concern in recording order, with which one counts per step.
std::vector<MeldcodeEntry> load_entries(storage::Connection& c, const std::string& concern_id) {
  std::vector<MeldcodeEntry> out;
  for (const auto& r :
       c.query("SELECT e.id, e.step, e.entry_date, e.summary, e.decision, e.answers, "
               "e.framework_version, e.corrects_id, e.recorded_by, u.name, e.recorded_at, "
               "e.help_given, e.organisations_involved, e.deviation_reason "
               "FROM meldcode_entries e JOIN users u ON u.id = e.recorded_by "
               "WHERE e.concern_id = ? ORDER BY e.seq",
               {concern_id})) {
    MeldcodeEntry e;
    e.id = r.text(0);
    e.concern_id = concern_id;
    e.step = static_cast<int>(r.integer(1));
    e.date = r.text(2);
    e.summary = r.text(3);
    e.decision = r.text(4);
    e.answers = answers_from(r.text(5));
    e.framework_version = r.text(6);
    e.corrects_id = r.optional_text(7);
    e.recorded_by = r.text(8);
    e.recorded_by_name = r.text(9);
    e.recorded_at = r.text(10);
    e.help_given = r.text(11);
    e.organisations_involved = r.text(12);
    e.deviation_reason = r.text(13);
    out.push_back(std::move(e));
  }
  for (auto& e : out) {
    for (const auto& later : out)
      if (later.corrects_id == e.id) e.corrected_by = later.id;
    e.current = !e.corrected_by;
  }
  return out;
}

}  // namespace

const MeldcodeEntry* Meldcode::current(int step) const {
  const MeldcodeEntry* found = nullptr;
  for (const auto& e : entries)
    if (e.step == step) found = &e;  // recording order: the last one counts
  return found;
}

bool Meldcode::needs_review(int step) const {
  // Only the decision rests on a step so directly that it goes stale: a corrected weighing
  // may advise otherwise. (A corrected summary of steps 1–3 does not undo what followed.)
  if (step != kDecisionStep) return false;
  const auto* decision = current(kDecisionStep);
  const auto* weighing = current(kAssessmentStep);
  // Entries are in recording order, so "recorded after" is "further along the vector".
  return decision && weighing && decision < weighing;
}

int Meldcode::next_step() const {
  for (int step = 1; step <= kMeldcodeSteps; ++step)
    if (!current(step) || needs_review(step)) return step;
  return 0;
}

std::string Meldcode::advice() const {
  const auto* weighing = current(kAssessmentStep);
  return weighing ? AssessmentFramework::instance().advice(weighing->answers) : std::string();
}

const std::vector<std::string>& meldcode_decisions() {
  static const std::vector<std::string> k = {"close", "organise_help", "report_veilig_thuis",
                                             "both"};
  return k;
}

std::map<std::string, std::string> validate(const MeldcodeInput& in, const std::string& today) {
  std::map<std::string, std::string> errors;
  if (in.step < 1 || in.step > kMeldcodeSteps) errors["step"] = "meldcode.step_choice";
  if (in.date.empty())
    errors["date"] = "validation.required";
  else if (!is_valid_date(in.date))
    errors["date"] = "validation.date";
  else if (in.date > today)
    errors["date"] = "validation.date_future";
  const std::string summary = text::trim(in.summary);
  if (summary.empty())
    errors["summary"] = "meldcode.summary_required";
  else if (text::length(summary) > kMaxSummary)
    errors["summary"] = "validation.too_long";
  else if (text::has_control_characters(summary))
    errors["summary"] = "validation.characters";
  const std::string decision = text::trim(in.decision);
  const auto& decisions = meldcode_decisions();
  if (in.step == kDecisionStep) {
    if (decision.empty())
      errors["decision"] = "meldcode.decision_required";
    else if (std::find(decisions.begin(), decisions.end(), decision) == decisions.end())
      errors["decision"] = "validation.choice";
  } else if (text::length(decision) > kMaxStepDecision) {
    errors["decision"] = "validation.too_long";
  } else if (text::has_control_characters(decision)) {
    errors["decision"] = "validation.characters";
  }
  const std::pair<const char*, const std::string*> outcome[] = {
      {"help_given", &in.help_given},
      {"organisations_involved", &in.organisations_involved},
      {"deviation_reason", &in.deviation_reason}};
  for (const auto& [field, value] : outcome) {
    const std::string v = text::trim(*value);
    if (v.empty()) continue;
    if (in.step != kDecisionStep)
      errors[field] = "meldcode.only_step_5";
    else if (text::length(v) > kMaxOutcomeText)
      errors[field] = "validation.too_long";
    else if (text::has_control_characters(v))
      errors[field] = "validation.characters";
  }
  if (in.step == kAssessmentStep) {
    const auto& questions = AssessmentFramework::instance().questions();
    const AssessmentAnswers none;
    const AssessmentAnswers& given = in.answers ? *in.answers : none;
    for (const auto& q : questions) {
      const std::string field = "answers." + q.code;
      auto it = given.find(q.code);
      if (it == given.end() || it->second.answer.empty())
        errors[field] = "meldcode.answer_required";
      else if (it->second.answer != "yes" && it->second.answer != "no")
        errors[field] = "meldcode.answer_yes_no";
      else if (text::length(it->second.explanation) > kMaxExplanation)
        errors[field] = "validation.too_long";
      else if (text::has_control_characters(it->second.explanation))
        errors[field] = "validation.characters";
    }
    for (const auto& [code, answer] : given)
      if (std::none_of(questions.begin(), questions.end(),
                       [&](const AssessmentQuestion& q) { return q.code == code; }))
        errors["answers." + code] = "meldcode.unknown_question";
  } else if (in.answers && !in.answers->empty() && in.step >= 1 && in.step <= kMeldcodeSteps) {
    errors["answers"] = "meldcode.answers_only_step_4";
  }
  return errors;
}

int missing_step_of(const Error& error) {
  const std::string prefix = kMissingStep;
  if (error.kind != ErrorKind::conflict || !error.message.starts_with(prefix) ||
      error.message.size() != prefix.size() + 1)
    return 0;
  return error.message.back() - '0';
}

Result<Meldcode> get_meldcode(storage::Connection& c, const auth::Actor& actor,
                              const std::string& concern_id) {
  storage::Transaction tx(c);
  auth::Gate gate(c, actor);
  auto facts = concern_facts(c, concern_id);
  Status ok = facts ? gate.check(auth::Action::meldcode_read, facts->resource, "view", "meldcode",
                                 concern_id)
                    : Status(fail(gate.missing("view", "meldcode", concern_id)));
  Meldcode m;
  if (ok) m = {concern_id, facts->category, load_entries(c, concern_id)};
  tx.commit();
  if (!ok) return fail(ok.error());
  return m;
}

Result<MeldcodeEntry> record_meldcode_step(storage::Connection& c, const auth::Actor& actor,
                                           const std::string& concern_id,
                                           const MeldcodeInput& input) {
  // The right is checked before the input, so a refusal is logged whatever was sent.
  const auto errors = validate(input, amsterdam_date(actor.clock.now()));
  storage::Transaction tx(c);
  auth::Gate gate(c, actor);
  auto facts = concern_facts(c, concern_id);
  if (!facts) {
    Error e = gate.missing("create", "meldcode", concern_id);
    tx.commit();
    return fail(e);
  }
  const std::string id = new_id();
  if (!auth::check(actor.principal, auth::Action::meldcode_record, facts->resource)) {
    auto refused = gate.check(auth::Action::meldcode_record, facts->resource, "create", "meldcode",
                              concern_id);
    tx.commit();
    return fail(refused.error());
  }
  if (!errors.empty()) return fail(Error::invalid(errors));
  // Serialise recorders of one concern (PostgreSQL row lock; SQLite has one writer), so the
  // order check and the sequence number see every earlier entry.
  if (c.dialect() == storage::Dialect::postgres)
    c.query("SELECT id FROM concerns WHERE id = ? FOR UPDATE", {concern_id});
  const Meldcode before{concern_id, facts->category, load_entries(c, concern_id)};
  // In order: a step may be recorded (or corrected) up to the first one still missing or to
  // review — never past it.
  if (const int next = before.next_step(); next != 0 && input.step > next) {
    const std::string key = kMissingStep + std::to_string(next);
    return fail(Error{ErrorKind::conflict, key, {{"step", key}}});
  }
  if (input.step > 1) {
    const auto* previous = before.current(input.step - 1);
    if (input.date < previous->date)
      return fail(Error::invalid({{"date", "meldcode.date_before_previous_step"}}));
  }
  const auto* corrected = before.current(input.step);
  // A correction keeps the steps in time order: not dated after the step that follows it.
  if (const auto* following = corrected ? before.current(input.step + 1) : nullptr;
      following && input.date > following->date)
    return fail(Error::invalid({{"date", "meldcode.date_after_next_step"}}));
  // The decision follows the weighing, or says why not (the framework is a guide; the
  // professional decides and accounts for it).
  if (input.step == kDecisionStep) {
    const std::string advice = before.advice();
    if (!advice.empty() && text::trim(input.decision) != advice &&
        text::trim(input.deviation_reason).empty())
      return fail(Error::invalid({{"deviation_reason", "meldcode.deviation_reason_required"}}));
  }
  MeldcodeEntry e;
  e.id = id;
  e.concern_id = concern_id;
  e.step = input.step;
  e.date = input.date;
  e.summary = text::trim(input.summary);
  e.decision = text::trim(input.decision);
  e.help_given = text::trim(input.help_given);
  e.organisations_involved = text::trim(input.organisations_involved);
  e.deviation_reason = text::trim(input.deviation_reason);
  if (input.step == kAssessmentStep) {
    for (const auto& q : AssessmentFramework::instance().questions()) {
      const auto& a = input.answers->at(q.code);
      e.answers[q.code] = {a.answer, text::trim(a.explanation)};
    }
    e.framework_version = AssessmentFramework::instance().version();
  }
  if (corrected) e.corrects_id = corrected->id;
  e.current = true;
  e.recorded_by = actor.principal.user_id;
  e.recorded_by_name = actor.principal.name;
  e.recorded_at = to_rfc3339(actor.clock.now());
  c.execute(
      "INSERT INTO meldcode_entries (id, concern_id, seq, step, entry_date, summary, decision, "
      "answers, framework_version, corrects_id, recorded_by, recorded_at, help_given, "
      "organisations_involved, deviation_reason) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {e.id, concern_id, static_cast<std::int64_t>(before.entries.size() + 1), std::int64_t{e.step},
       e.date, e.summary, e.decision, answers_json(e.answers),
       storage::null_if_empty(e.framework_version), storage::optional_value(e.corrects_id),
       e.recorded_by, e.recorded_at, storage::null_if_empty(e.help_given),
       storage::null_if_empty(e.organisations_involved),
       storage::null_if_empty(e.deviation_reason)});
  gate.log("create", "meldcode", concern_id,
           "entry=" + e.id + ",step=" + std::to_string(e.step) +
               (e.corrects_id ? ",corrects=" + *e.corrects_id : ""));
  tx.commit();
  return e;
}

}  // namespace oploop::concerns

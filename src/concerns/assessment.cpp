#include "concerns/assessment.hpp"

#include <nlohmann/json.hpp>
#include <set>
#include <stdexcept>

#include "core/resources.hpp"

namespace oploop::concerns {
namespace {

std::map<std::string, std::string> texts_of(const nlohmann::json& q, const char* field,
                                            const std::string& where) {
  std::map<std::string, std::string> out;
  if (!q.contains(field) || !q.at(field).is_object())
    throw std::runtime_error(where + ": " + field + " must be an object of texts");
  for (const auto& [lang, value] : q.at(field).items()) {
    if (!value.is_string() || value.get<std::string>().empty())
      throw std::runtime_error(where + ": " + field + "." + lang + " must be a text");
    out[lang] = value.get<std::string>();
  }
  for (const char* lang : {"nl", "en"})
    if (!out.contains(lang)) throw std::runtime_error(where + ": " + field + " lacks " + lang);
  return out;
}

std::string answer_rule(const nlohmann::json& q, const char* field, const std::string& where) {
  if (!q.contains(field)) return {};
  const auto& v = q.at(field);
  if (!v.is_string() || (v.get<std::string>() != "yes" && v.get<std::string>() != "no"))
    throw std::runtime_error(where + ": " + field + " must be \"yes\" or \"no\"");
  return v.get<std::string>();
}

}  // namespace

const AssessmentFramework& AssessmentFramework::instance() {
  static const AssessmentFramework framework =
      load(resource_path("data/meldcode/afwegingskader.json"));
  return framework;
}

AssessmentFramework AssessmentFramework::load(const std::filesystem::path& file) {
  const std::string where = "assessment framework " + file.string();
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(read_text_file(file));
  } catch (const nlohmann::json::exception& e) {
    throw std::runtime_error(where + ": " + e.what());
  }
  if (!doc.is_object() || !doc.contains("version") || !doc.at("version").is_string() ||
      !doc.contains("questions") || !doc.at("questions").is_array() || doc.at("questions").empty())
    throw std::runtime_error(where + ": needs a version and a list of questions");
  AssessmentFramework f;
  f.version_ = doc.at("version").get<std::string>();
  f.source_ = doc.value("source", "");
  std::set<std::string> codes;
  int number = 0;
  for (const auto& q : doc.at("questions")) {
    const std::string at = where + " question " + std::to_string(++number);
    if (!q.is_object() || !q.contains("code") || !q.at("code").is_string() ||
        q.at("code").get<std::string>().empty())
      throw std::runtime_error(at + ": needs a code");
    AssessmentQuestion question;
    question.code = q.at("code").get<std::string>();
    // Codes become form field names and JSON keys: keep them plain.
    for (char ch : question.code)
      if (!((ch >= 'a' && ch <= 'z') || ch == '_'))
        throw std::runtime_error(at + ": code must be lowercase letters and _");
    if (!codes.insert(question.code).second)
      throw std::runtime_error(at + ": code " + question.code + " twice");
    question.number = number;
    if (q.contains("number") && q.at("number") != number)
      throw std::runtime_error(at + ": questions must be numbered 1, 2, … in order");
    question.text = texts_of(q, "text", at);
    question.hint = texts_of(q, "hint", at);
    question.report_if = answer_rule(q, "report_if", at);
    question.close_if = answer_rule(q, "close_if", at);
    question.help_if = answer_rule(q, "help_if", at);
    f.questions_.push_back(std::move(question));
  }
  return f;
}

std::string AssessmentFramework::advice(const AssessmentAnswers& answers) const {
  bool report = false;
  bool help = true;
  for (const auto& q : questions_) {
    auto it = answers.find(q.code);
    if (it == answers.end() || (it->second.answer != "yes" && it->second.answer != "no")) return {};
  }
  for (const auto& q : questions_) {
    const std::string& a = answers.at(q.code).answer;
    if (!q.close_if.empty() && a == q.close_if) return "close";
    if (!q.report_if.empty() && a == q.report_if) report = true;
    if (!q.help_if.empty() && a != q.help_if) help = false;
  }
  if (report) return help ? "both" : "report_veilig_thuis";
  return "organise_help";
}

std::string in_language(const std::map<std::string, std::string>& texts,
                        const std::string& language) {
  if (auto it = texts.find(language); it != texts.end()) return it->second;
  if (auto it = texts.find("nl"); it != texts.end()) return it->second;
  return {};
}

}  // namespace oploop::concerns

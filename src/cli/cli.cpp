#include "cli/cli.hpp"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>

#include <iostream>

#include "app/config.hpp"
#include "auth/accounts.hpp"
#include "auth/password_reset.hpp"
#include "auth/tokens.hpp"
#include "cli/serve.hpp"
#include "core/resources.hpp"
#include "demo/demo.hpp"
#include "geo/postcodes.hpp"
#include "i18n/catalogue.hpp"
#include "organisations/organisations.hpp"
#include "storage/backup.hpp"
#include "storage/migrations.hpp"

namespace oploop::cli {
namespace {

// An error from a domain call, said in words on stderr.
int report(const Error& e) {
  const auto& cat = i18n::Catalogue::instance();
  std::cerr << "error: " << cat.text("en", e.message) << "\n";
  for (const auto& [field, key] : e.fields)
    std::cerr << "  " << field << ": " << cat.text("en", key) << "\n";
  return 1;
}

std::unique_ptr<storage::Database> open_migrated(const std::string& url) {
  auto db = storage::Database::open(url);
  storage::migrate(*db);
  return db;
}

}  // namespace

int run(int argc, char** argv) {
  app::Config config = app::Config::from_environment();
  CLI::App cli{"Oploop — case management for family-volunteer programmes (Samen Oplopen)"};
  cli.require_subcommand(1);
  cli.add_option("--db", config.database_url,
                 "Database: sqlite:PATH (default sqlite:./data/oploop.db) or postgresql://…; "
                 "also OPLOOP_DB");

  auto* serve_cmd = cli.add_subcommand("serve", "Serve the web UI and API (migrates first)");
  serve_cmd->add_option("--listen", config.listen, "Address:port (also OPLOOP_LISTEN)");
  serve_cmd->add_option("--threads", config.threads, "I/O threads")->check(CLI::Range(1, 64));

  auto* migrate_cmd = cli.add_subcommand("migrate", "Apply database migrations");
  bool status_only = false;
  migrate_cmd->add_flag("--status", status_only, "Only list pending migrations");

  auto* demo_cmd =
      cli.add_subcommand("demo", "Seed a clearly fictional demo organisation and print its logins");

  auto* org_cmd = cli.add_subcommand("org", "Organisations");
  org_cmd->require_subcommand(1);
  auto* org_add = org_cmd->add_subcommand("add", "Add an organisation");
  std::string slug, name;
  org_add->add_option("--slug", slug, "Short name in URLs: a-z, 0-9, -")->required();
  org_add->add_option("--name", name, "Full name")->required();

  auto* team_cmd = cli.add_subcommand("team", "Teams");
  team_cmd->require_subcommand(1);
  auto* team_add = team_cmd->add_subcommand("add", "Add a team to an organisation");
  std::string org_slug, team_name;
  team_add->add_option("--org", org_slug, "Organisation slug")->required();
  team_add->add_option("--name", team_name, "Team name")->required();

  auto* user_cmd = cli.add_subcommand("user", "Users");
  user_cmd->require_subcommand(1);
  auto* user_add = user_cmd->add_subcommand("add", "Add a user");
  std::string user_org, role_name, email, user_name, user_team;
  bool password_stdin = false;
  user_add->add_option("--org", user_org, "Organisation slug")->required();
  user_add
      ->add_option("--role", role_name, "volunteer, coordinator, project_lead, foundation or admin")
      ->required()
      ->check(CLI::IsMember({"volunteer", "coordinator", "project_lead", "foundation", "admin"}));
  user_add->add_option("--email", email, "E-mail address (the login)")->required();
  user_add->add_option("--name", user_name, "Full name")->required();
  user_add->add_option("--team", user_team, "Team name");
  user_add->add_flag(
      "--password-stdin", password_stdin,
      "Read the password from standard input; without it a set-password link is printed");

  auto* token_cmd = cli.add_subcommand("token", "Personal access tokens");
  token_cmd->require_subcommand(1);
  auto* token_add = token_cmd->add_subcommand("add", "Create an API token; prints only the token");
  std::string token_email, token_name = "cli";
  int token_days = 90;
  token_add->add_option("--email", token_email, "The user's e-mail")->required();
  token_add->add_option("--name", token_name, "What the token is for");
  token_add->add_option("--days", token_days, "Days valid (1–365)")->check(CLI::Range(1, 365));

  auto* import_cmd = cli.add_subcommand("import", "Import data from files");
  import_cmd->require_subcommand(1);
  std::string import_file;
  auto* import_postcodes = import_cmd->add_subcommand(
      "postcodes", "Load PC4 postcode-area centres from CSV (see data/postcodes/README.md)");
  import_postcodes->add_option("file", import_file, "CSV file with pc4, latitude, longitude")
      ->required()
      ->check(CLI::ExistingFile);

  std::string file;
  auto* backup_cmd =
      cli.add_subcommand("backup", "Write a consistent backup of the database to FILE");
  backup_cmd->add_option("file", file, "Backup file")->required();
  auto* restore_cmd =
      cli.add_subcommand("restore", "Replace the database by the backup in FILE (server stopped)");
  restore_cmd->add_option("file", file, "Backup file")->required();

  try {
    cli.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return cli.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return cli.exit(e);
  } catch (const CLI::ParseError& e) {
    // A mistyped command is left over as an extra argument, and CLI11 would only say that a
    // subcommand is required; name the word the user typed instead.
    if (cli.get_subcommands().empty() && !cli.remaining().empty()) {
      std::cerr << "error: unknown command '" << cli.remaining().front()
                << "'\nRun with --help for the commands.\n";
      return 2;
    }
    cli.exit(e);
    return 2;
  }

  // Logs go to stderr for the commands, so stdout carries only their answer.
  if (!serve_cmd->parsed()) spdlog::set_default_logger(spdlog::stderr_color_mt("cli"));
  config.finish();
  SystemClock clock;
  try {
    if (serve_cmd->parsed()) return serve(config);

    if (migrate_cmd->parsed()) {
      auto db = storage::Database::open(config.database_url);
      if (status_only) {
        for (const auto& m : storage::pending_migrations(*db)) std::cout << m << "\n";
        return 0;
      }
      auto report = storage::migrate(*db);
      for (const auto& m : report.applied) std::cout << "applied " << m << "\n";
      std::cout << "schema version " << report.version << "\n";
      return 0;
    }

    if (demo_cmd->parsed()) {
      auto db = open_migrated(config.database_url);
      auto result = demo::seed_demo(*db, clock, config.secret_key_file);
      if (!result) {
        if (result.error().message == "demo.exists") {
          std::cerr
              << "The demo organisation exists already in this database; its passwords "
                 "were printed when it was made. Start from an empty database for a new one.\n";
          return 1;
        }
        return report(result.error());
      }
      std::cout
          << "\nDemo-organisatie 'Welzijn Voorbeeldstad (demo)' — alle personen zijn verzonnen.\n"
          << "Demo organisation created — every person in it is fictional.\n\n";
      for (const auto& l : result->logins) {
        std::cout << "  " << l.role
                  << std::string(14 - std::min<std::size_t>(13, l.role.size()), ' ') << l.email
                  << "  wachtwoord/password: " << l.password << "\n";
        if (!l.totp_secret.empty())
          std::cout << std::string(16, ' ')
                    << "TOTP-geheim voor uw authenticator-app / TOTP secret: " << l.totp_secret
                    << "\n";
      }
      std::cout << "\nPublic referral form: " << config.base_url << "/aanmelden/"
                << result->organisation_slug << "\n";
      return 0;
    }

    if (org_add->parsed()) {
      auto db = open_migrated(config.database_url);
      auto conn = db->acquire();
      auto org = organisations::create_organisation(*conn, clock, slug, name);
      if (!org) return report(org.error());
      std::cout << org->id << "\n";
      return 0;
    }

    if (team_add->parsed()) {
      auto db = open_migrated(config.database_url);
      auto conn = db->acquire();
      auto org = organisations::find_by_slug(*conn, org_slug);
      if (!org) {
        std::cerr << "error: no organisation with slug '" << org_slug << "'\n";
        return 2;
      }
      auto team = organisations::create_team(*conn, clock, org->id, team_name);
      if (!team) return report(team.error());
      std::cout << team->id << "\n";
      return 0;
    }

    if (user_add->parsed()) {
      auto db = open_migrated(config.database_url);
      auto conn = db->acquire();
      auto org = organisations::find_by_slug(*conn, user_org);
      if (!org) {
        std::cerr << "error: no organisation with slug '" << user_org << "'\n";
        return 2;
      }
      auth::NewUser u{org->id, *auth::parse_role(role_name), email, user_name, {}, std::nullopt};
      if (!user_team.empty()) {
        auto team = organisations::find_team(*conn, org->id, user_team);
        if (!team) {
          std::cerr << "error: no team '" << user_team << "' in " << user_org << "\n";
          return 2;
        }
        u.team_ids.push_back(team->id);
      }
      if (password_stdin) {
        std::string password;
        std::getline(std::cin, password);
        if (!password.empty() && password.back() == '\r') password.pop_back();
        u.password = password;
      }
      auto user = auth::create_user(*conn, clock, u);
      if (!user) return report(user.error());
      std::cout << user->id << "\n";
      if (!password_stdin) {
        storage::Transaction tx(*conn);
        const std::string link = auth::create_password_link(*conn, clock, user->id, config.base_url,
                                                            std::chrono::days(7));
        tx.commit();
        std::cout << "Set-password link (valid 7 days, use once): " << link << "\n";
      }
      return 0;
    }

    if (token_add->parsed()) {
      auto db = open_migrated(config.database_url);
      auto conn = db->acquire();
      auto user = auth::find_user_by_email(*conn, token_email);
      if (!user || !user->active) {
        std::cerr << "error: no active user with that e-mail\n";
        return 2;
      }
      auto token = auth::create_token(*conn, clock, user->id, token_name, token_days);
      if (!token) return report(token.error());
      std::cout << token->secret << "\n";
      return 0;
    }

    if (import_postcodes->parsed()) {
      auto db = open_migrated(config.database_url);
      auto conn = db->acquire();
      auto imported = geo::import_postcode_areas(*conn, read_text_file(import_file));
      if (!imported) return report(imported.error());
      std::cout << imported->rows << " postcode areas imported\n";
      return 0;
    }

    if (backup_cmd->parsed()) {
      auto db = storage::Database::open(config.database_url);
      storage::backup_database(*db, config.database_url, file);
      std::cerr << "backup written to " << file << "\n";
      return 0;
    }

    if (restore_cmd->parsed()) {
      storage::restore_database(config.database_url, file);
      std::cerr << "restored from " << file << "\n";
      return 0;
    }
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 1;
  }
  return 2;
}

}  // namespace oploop::cli

// Every page of the web UI.
#include "app/app.hpp"

namespace oploop::web {
void add_auth_pages(app::AppRouter& router);
void add_home_page(app::AppRouter& router);
void add_referral_pages(app::AppRouter& router);
void add_family_pages(app::AppRouter& router);
void add_public_referral_pages(app::AppRouter& router);
void add_account_pages(app::AppRouter& router);
void add_match_pages(app::AppRouter& router);
void add_volunteer_pages(app::AppRouter& router);
void add_contact_pages(app::AppRouter& router);
void add_coordination_pages(app::AppRouter& router);
void add_concern_pages(app::AppRouter& router);
void add_report_pages(app::AppRouter& router);
void add_savings_pages(app::AppRouter& router);
void add_measurement_pages(app::AppRouter& router);
}  // namespace oploop::web

namespace oploop::app {

void add_web_routes(AppRouter& router) {
  web::add_auth_pages(router);
  web::add_home_page(router);
  web::add_referral_pages(router);
  web::add_family_pages(router);
  web::add_public_referral_pages(router);
  web::add_account_pages(router);
  web::add_match_pages(router);
  web::add_volunteer_pages(router);
  web::add_contact_pages(router);
  web::add_coordination_pages(router);
  web::add_concern_pages(router);
  web::add_report_pages(router);
  web::add_savings_pages(router);
  web::add_measurement_pages(router);
}

}  // namespace oploop::app

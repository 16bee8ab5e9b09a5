#include "simexit/web/pages.hpp"

namespace simexit::web {

void AddPageRoutes(api::Router& router, api::ApiServices& services) {
  AddAssetRoutes(router);
  AddHolderPages(router, services);
  AddConsolePages(router, services);
  AddVerifyPage(router, services);
}

}  // namespace simexit::web

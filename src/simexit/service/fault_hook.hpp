#pragma once
// Named points inside the workflow steps ("settle:after_commit", ...) where the
// crash tests kill the process (app/runtime.cpp arms it from
// SIMEXIT_FAULT_KILL_AT). Production passes an empty hook.

#include <functional>
#include <string_view>

namespace simexit {

using FaultHook = std::function<void(std::string_view point)>;

}  // namespace simexit

#include "simexit/common/background_tasks.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <thread>
#include <vector>

namespace simexit {
namespace {

TEST(BackgroundTasksTest, RunsTasksInOrderOffTheCallersThread) {
  std::vector<int> order;
  std::vector<std::thread::id> threads;
  BackgroundTasks tasks;
  for (int i = 0; i < 5; ++i) {
    tasks.Run([&, i] {
      order.push_back(i);
      threads.push_back(std::this_thread::get_id());
    });
  }
  tasks.Drain();
  EXPECT_EQ(order, (std::vector<int>{0, 1, 2, 3, 4}));
  for (std::thread::id id : threads) {
    EXPECT_NE(id, std::this_thread::get_id());
  }
}

TEST(BackgroundTasksTest, RunReturnsBeforeTheTaskRuns) {
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::atomic<bool> ran{false};
  BackgroundTasks tasks;
  tasks.Run([&] {
    released.wait();
    ran = true;
  });
  EXPECT_FALSE(ran);  // the task waits for `release`, so Run did not wait for it
  release.set_value();
  tasks.Drain();
  EXPECT_TRUE(ran);
}

TEST(BackgroundTasksTest, AFullQueueRunsTheTaskOnTheCallersThreadInsteadOfDroppingIt) {
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::promise<void> started;
  BackgroundTasks tasks(/*capacity=*/1);
  tasks.Run([&] {
    started.set_value();
    released.wait();
  });
  started.get_future().wait();  // the thread is busy; the queue is empty
  tasks.Run([] {});             // fills the queue
  std::thread::id ran_on;
  tasks.Run([&] { ran_on = std::this_thread::get_id(); });  // full: runs here
  EXPECT_EQ(ran_on, std::this_thread::get_id());
  release.set_value();
}

TEST(BackgroundTasksTest, TheDestructorRunsWhatIsQueued) {
  std::atomic<int> ran{0};
  {
    BackgroundTasks tasks;
    for (int i = 0; i < 100; ++i) {
      tasks.Run([&] { ++ran; });
    }
  }
  EXPECT_EQ(ran, 100);
}

}  // namespace
}  // namespace simexit

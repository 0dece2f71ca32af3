#include "candor/rules/field_path.h"

#include "rules_test_support.h"

using namespace candor::rules;
using candor::registry::Position;
using candor::rules::testing::record;

TEST_CASE("field paths parse strictly", "[rules][path]") {
  const auto p = FieldPath::parse("bias.testing[0].date");
  REQUIRE(p);
  REQUIRE(p->steps.size() == 4);
  CHECK(p->steps[1].key == "testing");
  CHECK(p->steps[2].is_index);
  CHECK(p->steps[2].index == 0);
  CHECK(FieldPath::parse(".")->is_self());
  CHECK(FieldPath::parse("a[1][2]")->steps.size() == 3);
  CHECK(FieldPath::parse("eu_ai_act.fria-2.completed_on"));

  for (const char* bad : {"", "..", ".a", "a.", "a..b", "a[", "a[]", "a[x]", "a[-1]", "[0]", "a b",
                          "a.[0]", "a]", "a[0]b", "é"}) {
    INFO(bad);
    CHECK_FALSE(FieldPath::parse(bad));
  }
}

TEST_CASE("resolve and locate walk mappings and lists", "[rules][path]") {
  const auto doc = record(
      "contact:\n"
      "  email: a@b.example\n"
      "bias:\n"
      "  testing:\n"
      "    - date: 2025-01-01\n"
      "    - date: 2025-02-01\n"
      "empty: null\n");
  const auto& root = doc.root();

  CHECK(resolve(root, *FieldPath::parse("contact.email"))->text() == "a@b.example");
  CHECK(resolve(root, *FieldPath::parse("bias.testing[1].date"))->text() == "2025-02-01");
  CHECK(resolve(root, *FieldPath::parse("bias.testing[2].date")) == nullptr);
  CHECK(resolve(root, *FieldPath::parse("contact.email.x")) == nullptr);
  CHECK(resolve(root, *FieldPath::parse("contact[0]")) == nullptr);
  CHECK(resolve(root, *FieldPath::parse("empty"))->is_null());
  CHECK(resolve(root, *FieldPath::parse(".")) == &root);

  SECTION("a present path points at its key") {
    const Located l = locate(root, *FieldPath::parse("contact.email"));
    CHECK(l.exact);
    CHECK(l.path == "contact.email");
    CHECK(l.position == Position{2, 3});
  }
  SECTION("a list item points at the item") {
    const Located l = locate(root, *FieldPath::parse("bias.testing[1]"));
    CHECK(l.exact);
    CHECK(l.path == "bias.testing[1]");
    CHECK(l.position == Position{6, 7});
  }
  SECTION("a missing leaf falls back to its nearest present parent") {
    const Located l = locate(root, *FieldPath::parse("contact.phone"));
    CHECK_FALSE(l.exact);
    CHECK(l.path == "contact");
    CHECK(l.position == Position{1, 1});
  }
  SECTION("a missing top-level field falls back to the root") {
    const Located l = locate(root, *FieldPath::parse("redress.route"));
    CHECK_FALSE(l.exact);
    CHECK(l.path.empty());
    CHECK(l.node == &root);
  }
  SECTION("an index out of range falls back to the list") {
    const Located l = locate(root, *FieldPath::parse("bias.testing[7].date"));
    CHECK(l.path == "bias.testing");
    CHECK(l.position == Position{4, 3});
  }
}

TEST_CASE("join_path appends keys and indexes", "[rules][path]") {
  CHECK(join_path("", *FieldPath::parse("a.b")) == "a.b");
  CHECK(join_path("bias.testing[0]", *FieldPath::parse("date")) == "bias.testing[0].date");
  CHECK(join_path("x", *FieldPath::parse("y[2]")) == "x.y[2]");
  CHECK(join_path("x[1]", *FieldPath::parse(".")) == "x[1]");
}

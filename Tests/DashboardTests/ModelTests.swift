import BuiltInThemes
import Catalog
import Checks
import Contracts
import Foundation
import Preview
import Testing
import WatchModel

@testable import Dashboard

struct ModelTests {
    func model() -> DashboardModel { DashboardModel(status: StatusFixture.status) }

    func selectedID(_ model: inout DashboardModel) -> String? {
        let view = model.visible()
        return view.rows.indices.contains(view.selectedIndex) ? view.rows[view.selectedIndex].id : nil
    }

    @Test func selectionFollowsTheItemAcrossLiveUpdates() {
        var m = model()
        _ = m.handle(.character("3"))
        _ = m.handle(.down)
        let before = selectedID(&m)
        #expect(before?.contains("primary_image") == true)
        // A new poll adds a violation that sorts before the selected one.
        var status = StatusFixture.status
        var result = status.result!
        var extra = result.violations[0]
        extra.file = "contracts/aaa.json"
        extra.contract = "aaa"
        result.violations.insert(extra, at: 0)
        status.result = result
        status.generation += 1
        status.contentVersion += 1
        m.update(status)
        #expect(selectedID(&m) == before)
        #expect(m.visible().selectedIndex == 2)
    }

    @Test func filterIsSmartCaseAndEscClearsIt() {
        var m = model()
        for character in "DATA" { _ = m.handle(.character(character)) } // not in filter mode: ignored keys
        _ = m.handle(.character("/"))
        for character in "café" { _ = m.handle(.character(character)) }
        #expect(m.visible().rows.map(\.id) == ["contracts/cafe.json"])
        _ = m.handle(.enter)
        #expect(m.mode == .normal)
        #expect(m.listState(.contracts).filter == "café")
        _ = m.handle(.character("/"))
        _ = m.handle(.backspace)
        _ = m.handle(.backspace)
        _ = m.handle(.backspace)
        _ = m.handle(.backspace)
        for character in "Object" { _ = m.handle(.character(character)) }
        #expect(m.visible().rows.isEmpty, "upper case makes the filter case-sensitive")
        _ = m.handle(.escape)
        #expect(m.listState(.contracts).filter == "")
        #expect(m.visible().rows.count == 4)
    }

    @Test func sortCyclesColumnsAndReverses() {
        var m = model()
        _ = m.handle(.character("4"))
        let natural = m.visible().rows.map(\.id)
        _ = m.handle(.character("s")) // OWNER
        _ = m.handle(.character("s")) // EMAIL
        #expect(m.listState(.owners).sortColumn == 1)
        let byEmail = m.visible().rows.map(\.id)
        #expect(byEmail == byEmail.sorted())
        _ = m.handle(.character("S"))
        #expect(m.visible().rows.map(\.id) == byEmail.reversed())
        let columns = m.visible().content.columns.count
        for _ in 0..<(columns - 1) { _ = m.handle(.character("s")) }
        #expect(m.listState(.owners).sortColumn == nil)
        _ = m.handle(.character("S"))
        #expect(m.visible().rows.map(\.id) == natural)
    }

    @Test func enterOpensEscGoesBackAndJumpsWork() {
        var m = model()
        _ = m.handle(.character("3"))
        _ = m.handle(.enter)
        guard case .violation = m.route else {
            Issue.record("expected a violation detail, got \(m.route)")
            return
        }
        #expect(m.stack.count == 2)
        _ = m.handle(.escape)
        #expect(m.route == .violations)
        _ = m.handle(.character(":"))
        for character in "own" { _ = m.handle(.character(character)) }
        _ = m.handle(.tab)
        #expect(m.mode == .command(LineEditor("owners")))
        _ = m.handle(.enter)
        #expect(m.route == .owners)
        _ = m.handle(.character(":"))
        for character in "nope" { _ = m.handle(.character(character)) }
        _ = m.handle(.enter)
        #expect(m.flash?.isError == true)
        _ = m.handle(.character(":"))
        _ = m.handle(.character("q"))
        #expect(m.handle(.enter) == [.quit])
    }

    @Test func actionKeysProduceEffects() {
        var m = model()
        // The checker owns paused and interval: it applies each effect and publishes the result.
        func publish(_ effects: [Effect]) -> [Effect] {
            var status = m.status
            for effect in effects {
                if case .setPaused(let paused) = effect { status.paused = paused }
                if case .setInterval(let seconds) = effect { status.interval = seconds }
            }
            status.generation += 1
            m.update(status)
            return effects
        }
        #expect(m.handle(.character("R")) == [.pollNow])
        #expect(publish(m.handle(.character(" "))) == [.setPaused(true)])
        #expect(m.paused)
        #expect(publish(m.handle(.character(" "))) == [.setPaused(false)])
        #expect(!m.paused)
        #expect(publish(m.handle(.character("+"))) == [.setInterval(5)])
        #expect(publish(m.handle(.character("-"))) == [.setInterval(2)])
        #expect(publish(m.handle(.character("-"))) == [.setInterval(1)])
        #expect(m.interval == 1)
        _ = m.handle(.character("3"))
        #expect(m.handle(.character("y")) == [.copy("collections-data@museum.org")])
        _ = m.handle(.down)
        #expect(m.handle(.character("y")) == [.copy("data-eng@museum.org")])
        #expect(m.handle(.character("q")) == [.quit])
        #expect(m.handle(.control("c")) == [.quit])
    }

    @Test(arguments: [(80, 24), (120, 40)])
    func helpIsGeneratedFromTheKeyMapScrollsAndClosesWithEsc(width: Int, height: Int) {
        // On a list and on a detail, paging through the help shows every key that acts there,
        // and the frame always says how to close it.
        for start in [[Key.character("3")], [Key.character("3"), .enter]] {
            var m = model()
            for key in start { _ = m.handle(key) }
            _ = m.handle(.character("?"))
            var seen = ""
            for _ in 0..<8 {
                var frame = Frame(width: width, height: height)
                Renderer.draw(&m, on: &frame, now: StatusFixture.pollTime)
                #expect(frame.text.contains("Esc ? q close"))
                seen += frame.text
                _ = m.handle(.pageDown)
            }
            let detail = start.count > 1
            for binding in m.keyMap.bindings {
                let acts: Bool =
                    switch binding.scope {
                    case .everywhere: true
                    case .lists: !detail
                    case .details: detail
                    case .screen(let id): id == .violations && !detail
                    }
                guard acts else { continue }
                #expect(seen.contains(binding.description), "help lacks \(binding.description)")
            }
            _ = m.handle(.escape)
            #expect(m.mode == .normal)
        }
    }

    @Test func everyKeyInHelpDoesSomething() {
        // Each binding's command changes the model or yields an effect from some starting point.
        // Tried on the Violations list and on a violation's detail (Esc needs somewhere to go back to).
        for binding in KeyMap.standard.bindings {
            var worked = false
            let starts: [[Key]] = [
                [.character("3"), .down], [.character("3"), .down, .enter], [.character("3"), .right],
                [.character("3"), .enter, .character("/"), .character("t"), .enter],
            ]
            for start in starts {
                var m = model()
                var frame = Frame(width: 80, height: 24)
                Renderer.draw(&m, on: &frame, now: StatusFixture.pollTime)
                for key in start { _ = m.handle(key, now: StatusFixture.pollTime) }
                Renderer.draw(&m, on: &frame, now: StatusFixture.pollTime)
                let before = (m.stack, m.mode, m.listState(m.route), m.paused, m.interval, m.flash, m.mouseEnabled)
                let effects = m.handle(binding.keys[0], now: StatusFixture.pollTime)
                let after = (m.stack, m.mode, m.listState(m.route), m.paused, m.interval, m.flash, m.mouseEnabled)
                let changed =
                    before.0 != after.0 || before.1 != after.1 || before.2 != after.2 || before.3 != after.3
                    || before.4 != after.4 || before.5 != after.5 || before.6 != after.6
                worked = worked || changed || !effects.isEmpty
            }
            #expect(worked, "\(binding.label) (\(binding.description)) did nothing")
        }
    }

    @Test func pageKeysMoveByThePage() {
        var status = StatusFixture.status
        var result = status.result!
        let template = result.violations[0]
        result.violations = (0..<100).map { index in
            var violation = template
            violation.column = "c\(index)"
            return violation
        }
        status.result = result
        var m = DashboardModel(status: status)
        _ = m.handle(.character("3"))
        var frame = Frame(width: 80, height: 24)
        Renderer.draw(&m, on: &frame, now: StatusFixture.pollTime)
        _ = m.handle(.pageDown)
        #expect(m.pageSize == 19)
        #expect(m.visible().selectedIndex == 18)
        _ = m.handle(.end)
        #expect(m.visible().selectedIndex == 99)
        Renderer.draw(&m, on: &frame, now: StatusFixture.pollTime)
        #expect(frame.line(1).contains("100/100"))
        #expect(frame.line(21).contains("c99"))
        _ = m.handle(.home)
        #expect(m.visible().selectedIndex == 0)
    }
}

struct ThemeTests {
    let catalog = ThemeCatalog(builtIns: BuiltInThemesAccess.files)

    @Test func aThemeYAMLBombFallsBackToTheDefaultWithAWarning() {
        // 9^9 values from a few hundred bytes: once, this hung the dashboard's start.
        let levels = "abcdefghi".map(String.init)
        var yaml = "a: &a [x, x, x, x, x, x, x, x, x]\n"
        for (previous, name) in zip(levels, levels.dropFirst()) {
            yaml += "\(name): &\(name) [" + Array(repeating: "*\(previous)", count: 9).joined(separator: ", ") + "]\n"
        }
        yaml += "status.bar: {fg: red, junk: *i}\n"
        let (theme, warnings) = catalog.parse(yaml, name: "bomb")
        #expect(warnings.count == 1 && warnings[0].contains("the YAML expands to more than"), "\(warnings)")
        #expect(theme.styles == catalog.parse(catalog.builtIns["default"] ?? "", name: "default").0.styles)
    }

    @Test func numbersAndListsInThemesStillRead() {
        let (theme, warnings) = catalog.parse(
            "base: none\nstatus.bar: {fg: 208, bg: '#005f87', attrs: [bold, underline]}\nlist.row: {attrs: dim}\n",
            name: "mine")
        #expect(warnings == [])
        #expect(theme.styles[.statusBar]?.foreground == ThemeColor(parsing: "color208"))
        #expect(theme.styles[.statusBar]?.attributes == [.bold, .underline])
        #expect(theme.styles[.row]?.attributes == [.dim])
    }

    @Test func builtInThemesCoverEveryRoleWithoutWarnings() {
        for name in ["default", "light", "high-contrast", "monochrome"] {
            guard let yaml = catalog.builtIns[name] else {
                Issue.record("missing \(name)")
                continue
            }
            let (theme, warnings) = catalog.parse(yaml, name: name)
            #expect(warnings == [], "\(name)")
            if name != "monochrome" {
                #expect(Set(theme.styles.keys) == Set(Role.allCases), "\(name) misses roles")
            }
        }
        let mono = catalog.monochrome
        #expect(
            mono.styles.values.allSatisfy { $0.foreground == .terminalDefault && $0.background == .terminalDefault })
    }

    @Test func userThemesOverrideOnlyWhatTheyNameAndWarnAboutUnknownRoles() {
        let (theme, warnings) = catalog.parse(
            """
            list.selected: {fg: "#ffffff", bg: color22, attrs: [bold, underline]}
            list.selceted: {fg: red}
            status.bar: {fg: chartreuse}
            """, name: "mine")
        let base = catalog.builtIn("default")!
        #expect(
            theme.style(.selected)
                == Style(foreground: .rgb(255, 255, 255), background: .indexed(22), attributes: [.bold, .underline]))
        #expect(theme.style(.diffAdded) == base.style(.diffAdded))
        #expect(warnings.count == 2)
        #expect(warnings[0].contains("unknown role \"list.selceted\"") && warnings[0].contains("list.selected"))
        #expect(warnings[1].contains("unknown colour \"chartreuse\""))
    }

    @Test func coloursDegradeTo256_16_8() {
        let orange = ThemeColor.rgb(255, 135, 0)
        #expect(orange.resolved(colors: 256) == 208)
        #expect([1, 3, 9, 11].contains(orange.resolved(colors: 16)), "orange maps to a red or yellow")
        #expect((0..<8).contains(orange.resolved(colors: 8)))
        #expect(ThemeColor.ansi(12).resolved(colors: 8) == 4)
        #expect(ThemeColor.indexed(28).resolved(colors: 16) == 2)
        #expect(ThemeColor.terminalDefault.resolved(colors: 256) == -1)
        #expect(ThemeColor.ansi(3).resolved(colors: 0) == -1)
        #expect(ThemeColor(parsing: "bright-blue") == .ansi(12))
        #expect(ThemeColor(parsing: "#00ff00") == .rgb(0, 255, 0))
        #expect(ThemeColor(parsing: "color300") == nil)
    }
}

enum BuiltInThemesAccess { static let files = BuiltInThemes.files }

struct TextWidthTests {
    @Test func wideAndZeroWidthCharacters() {
        #expect(TextWidth.of("abc") == 3)
        #expect(TextWidth.of("表") == 2)
        #expect(TextWidth.of("Café 表") == 7)
        #expect(TextWidth.of("e\u{301}") == 1)
        #expect(TextWidth.truncate("价格价格", to: 5) == "价格…")
        #expect(TextWidth.fit("表", to: 4) == "表  ")
        var frame = Frame(width: 6, height: 1)
        frame.put("a表b", x: 0, y: 0, role: .row)
        #expect(frame[1, 0].character == "表" && frame[2, 0].isContinuation && frame[3, 0].character == "b")
        #expect(frame.line(0) == "a表b  ")
    }
}

struct OwnershipConsistencyTests {
    /// The owner card, the Owners screen and `contractwatch owners` all come from
    /// `OwnersRegistry.roles(for:)`: the same people everywhere.
    @Test func ownerCardAndOwnersScreenNameTheSamePeople() throws {
        var status = StatusFixture.status
        let (registry, errors) = OwnersRegistry.parse(
            """
            teams:
              - id: data-eng
                name: Data Engineering Team
                email: data-eng@museum.org
                channel: "#data-eng"
                tool: slack
            people:
              - id: maya
                name: Maya Okafor
                email: maya@museum.org
                team: data-eng
            """, file: "owners.yaml")
        #expect(errors == [])
        var contracts = status.contracts
        contracts.registry = registry
        let index = try #require(contracts.contracts.firstIndex { $0.table.name == "object_images" })
        contracts.contracts[index].roles = [
            RoleReference(role: .businessOwner, reference: "maya"), RoleReference(role: .itSME, reference: "ghost"),
        ]
        status.contracts = contracts
        status.generation += 1
        status.contentVersion += 1
        let screens = Screens(status: status)
        let expected = registry.roles(for: contracts.contracts[index]).map { $0.person?.email ?? $0.reference }
        #expect(expected == ["data-eng@museum.org", "maya@museum.org", "ghost"])

        var model = DashboardModel(status: status)
        for key: Key in [.character("3"), .down, .enter] { _ = model.handle(key) }
        var frame = Frame(width: 140, height: 50)
        Renderer.draw(&model, on: &frame, now: StatusFixture.pollTime)
        for reference in expected { #expect(frame.text.contains(reference), "owner card lacks \(reference)") }
        #expect(frame.text.contains("team Data Engineering Team"))
        #expect(frame.text.contains("(not in owners.yaml)"))

        let ownersScreen = screens.content(for: .owners).rows.map {
            $0.cells[1].text == "—" ? $0.cells[0].text : $0.cells[1].text
        }
        for reference in expected { #expect(ownersScreen.contains(reference), "Owners screen lacks \(reference)") }

        let id = try #require(status.result?.violations.first { $0.column == "primary_image" }?.id)
        let message = try #require(screens.message(for: id))
        #expect(
            message.hasPrefix(
                "To: Data Engineering Team <data-eng@museum.org>\nCc: Maya Okafor <maya@museum.org> (business owner)\n")
        )
        #expect(message.contains("Diff (- contract, + catalog):"))
        #expect(
            message.contains(
                "contractwatch check --contracts contracts --dsn \"host=/tmp/demo/run port=5432 dbname=postgres "
                    + "user=postgres\""
            ))
    }
}

struct PreviewKeyTests {
    @Test func pAsksForAFileAndEnterPreviewsIt() {
        var m = DashboardModel(status: StatusFixture.status)
        _ = m.handle(.character("p"))
        #expect(m.mode == .previewPrompt(LineEditor()))
        for character in "m.sql" { _ = m.handle(.character(character)) }
        #expect(m.handle(.enter) == [.preview("m.sql")])
        #expect(m.route == .violations)
        #expect(m.handle(.character("P")) == [], "nothing to clear yet: said, not done")
        var status = m.status
        status.preview = PreviewOutcome(
            migration: "m.sql", at: StatusFixture.pollTime, introduced: [], fixed: [], error: nil)
        status.preview?.hazards = [
            Hazard(
                code: .rewrite, statement: 1, line: 1, relation: QualifiedName(schema: "public", name: "t"),
                detail: "rewrites public.t")
        ]
        status.generation += 1
        status.contentVersion += 1
        m.update(status)
        var frame = Frame(width: 120, height: 40)
        Renderer.draw(&m, on: &frame, now: StatusFixture.pollTime)
        #expect(frame.text.contains("would break 0, would fix 0, hazards CW101"), "\(frame.text)")
        #expect(frame.text.contains("run on a schema copy"))
        #expect(m.handle(.character("P")) == [.clearPreview])
        _ = m.handle(.character("p"))
        _ = m.handle(.escape)
        #expect(m.mode == .normal)
    }
}

struct LocalTimeTests {
    @Test func stampsUseTheLocalDateAndClock() throws {
        let auckland = try #require(TimeZone(identifier: "Pacific/Auckland"))
        // 2026-03-01 11:30 UTC is 2026-03-02 00:30 in Auckland (UTC+13 in March).
        let date = Date(timeIntervalSince1970: 1_772_364_600)
        #expect(Screens.stamp(date, now: date.addingTimeInterval(86_400 * 3), timeZone: auckland) == "2026-03-02 00:30")
        #expect(Screens.stamp(date, now: date.addingTimeInterval(3_600), timeZone: auckland) == "00:30:00")
        #expect(Screens.clock(date, timeZone: TimeZone(identifier: "UTC")!) == "11:30:00")
    }
}

struct UserConfigTests {
    @Test func everySettingReads() {
        let (config, warnings) = UserConfig.parse(
            """
            profile: local
            profiles:
              local: {dsn: "host=/tmp dbname=app", contracts: ./contracts}
              staging: {dsn: "service=staging"}
            contracts: ~/c
            theme: light
            interval: 5
            mouse: true
            notify: osc9
            cursor: visible
            hints: false
            borders: ascii
            keys:
              quit: [q, ctrl-c]
              pause: <disabled>
              open: enter
            """)
        #expect(warnings == [])
        #expect(config.profile == "local" && config.profiles["local"]?.dsn == "host=/tmp dbname=app")
        #expect(config.profiles["staging"]?.contracts == nil && config.contracts == "~/c")
        #expect(config.theme == "light" && config.interval == 5 && config.mouse == true && config.notify == .osc9)
        #expect(config.showCursor == true && config.showHints == false && config.asciiBorders == true)
        #expect(config.keys.map(\.command) == ["quit", "pause", "open"] && config.keys[2].keys == ["enter"])
    }

    @Test func problemsAreWarningsWithLineAndColumnAndTheRestApplies() {
        let (config, warnings) = UserConfig.parse(
            """
            theme: light
            interval: soon
            notify: loud
            mous: true
            profile: nowhere
            """, file: "c.yaml")
        #expect(config.theme == "light")
        #expect(
            warnings == [
                "c.yaml:2:11: interval must be a number of seconds",
                "c.yaml:3:9: notify must be one of off, bell, osc9, osc777, found \"loud\"",
                "c.yaml:4:1: unknown setting \"mous\" (settings: profile, profiles, contracts, migrations, theme, "
                    + "interval, mouse, notify, cursor, hints, borders, keys)",
                "c.yaml: profile \"nowhere\" is not among profiles",
            ])
    }

    @Test func aYAMLBombOrGarbageIsIgnoredWithOneWarning() {
        let levels = "abcdefghi".map(String.init)
        var yaml = "a: &a [x, x, x, x, x, x, x, x, x]\n"
        for (previous, name) in zip(levels, levels.dropFirst()) {
            yaml += "\(name): &\(name) [" + Array(repeating: "*\(previous)", count: 9).joined(separator: ", ") + "]\n"
        }
        let (config, warnings) = UserConfig.parse(yaml)
        #expect(config == UserConfig() && warnings.count == 1 && warnings[0].contains("file ignored"))
        #expect(UserConfig.parse("- just\n- a list\n").1.count == 1)
        #expect(UserConfig.parse("").1.isEmpty, "an empty file is no settings, not an error")
    }
}

struct SmallKeysTests {
    let now = StatusFixture.pollTime

    @Test func anInverseFilterKeepsTheRowsThatDoNotMatch() {
        var m = DashboardModel(status: StatusFixture.status)
        for key: Key in [.character("/"), .character("!")] + "object".map({ Key.character($0) }) + [.enter] {
            _ = m.handle(key, now: now)
        }
        #expect(m.visible().rows.map(\.id) == ["contracts/broken.json", "contracts/cafe.json"])
    }

    @Test func cCopiesTheRowOrTheWholeDetail() {
        var m = DashboardModel(status: StatusFixture.status)
        _ = m.handle(.character("3"), now: now)
        guard case .copy(let row)? = m.handle(.character("c"), now: now).first else {
            Issue.record("c copied nothing")
            return
        }
        #expect(row.contains("is_nullable\tpublic.object.title"), "\(row)")
        _ = m.handle(.enter, now: now)
        guard case .copy(let page)? = m.handle(.character("c"), now: now).first else {
            Issue.record("c copied nothing in the detail")
            return
        }
        #expect(page.contains("Message    title: the contract says NOT NULL") && page.contains("@@ column title @@"))
    }

    @Test func asciiBordersAndHiddenHints() {
        var m = DashboardModel(status: StatusFixture.status)
        m.asciiBorders = true
        _ = m.handle(.character("?"), now: now)
        var frame = Frame(width: 80, height: 24)
        Renderer.draw(&m, on: &frame, now: now)
        #expect(frame.line(1).hasPrefix("+-") && !frame.text.contains("┌"))
        _ = m.handle(.escape, now: now)
        for key: Key in [.character(":")] + "hints".map({ Key.character($0) }) + [.enter] {
            _ = m.handle(key, now: now)
        }
        #expect(!m.showHints)
        var plain = Frame(width: 80, height: 24)
        Renderer.draw(&m, on: &plain, now: now.addingTimeInterval(10))
        #expect(plain.line(23).trimmingCharacters(in: .whitespaces).isEmpty, "\(plain.line(23))")
    }
}

/// The Tables screen makes its rows on demand (`RowList`): contracted tables the catalog lacks
/// are placed among the relations by name, at the start, between and at the end alike.
struct TablesScreenTests {
    func contract(_ table: String, owner: String) -> Contract {
        Contract(
            name: "c-\(table)", file: "contracts/\(table).json", owner: Owner(name: owner, email: "\(owner)@x.org"),
            table: ContractTable(catalog: nil, schema: "public", name: table),
            columns: [ContractColumn(name: "id", expectation: ColumnExpectation(dataType: "integer"))])
    }

    @Test func missingContractedTablesAreMergedByNameAndRowsMatchTheirRelations() {
        let names = ["b", "d", "f", "h"]
        let relations = names.map { name in
            Relation(
                name: QualifiedName(schema: "public", name: name), kind: .table,
                columns: [StatusFixture.column("id", 1, "integer")])
        }
        let snapshot = CatalogSnapshot(
            database: DatabaseIdentity(name: "db", serverVersion: "15"), relations: relations)
        // a: before all; c and e: between; d: present; z: after all.
        let contracts = ContractSet(
            contracts: ["a", "c", "d", "e", "z"].map { contract($0, owner: "team-\($0)") }, errors: [], fileCount: 5)
        var status = WatchStatus(target: "t", interval: 2)
        status.contracts = contracts
        status.snapshot = snapshot
        status.result = Checker.check(contracts, against: snapshot)
        status.catalogComplete = true
        let rows = Screens(status: status).content(for: .tables).rows
        #expect(rows.map(\.id) == ["a", "b", "c", "d", "e", "f", "h", "z"].map { "public.\($0)" })
        #expect(
            rows.map { $0.cells[4].text } == [
                "✗ table missing", "— uncontracted", "✗ table missing", "✓ ok", "✗ table missing", "— uncontracted",
                "— uncontracted", "✗ table missing",
            ])
        #expect(
            rows.map(\.copyText) == [
                "team-a@x.org", nil, "team-c@x.org", "team-d@x.org", "team-e@x.org", nil, nil, "team-z@x.org",
            ])
        #expect(rows[3].target == .table(QualifiedName(schema: "public", name: "d")))
        // Made twice, a row is the same row (the selection follows ids across frames).
        #expect(Array(rows) == Array(rows))
        // The tab counts what the screen lists: 4 relations and 4 contracted tables missing.
        #expect(StatusSummary(status).count(.tables) == rows.count)
    }
}

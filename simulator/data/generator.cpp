#include "generator.h"

#include "store/store.h"

#include <QDateTime>
#include <QStringList>

#include <array>
#include <cmath>
#include <random>

namespace fs::sim {

namespace {

const std::array kFirst { "James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda", "David", "Elizabeth",
    "William", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Sarah", "Carlos", "Karen", "Daniel", "Lisa", "Matthew",
    "Nancy", "Anthony", "Betty", "Mark", "Sandra", "Aisha", "Ashley", "Kenji", "Emily", "Lukas", "Mei", "Priya", "Olga", "Ahmed",
    "Sofia", "Mateo", "Chloe", "Noah", "Emma", "Liam", "Olivia", "Ethan", "Ava", "Hiro", "Ingrid", "Pierre", "Zanele" };
const std::array kLast { "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez",
    "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin", "Lee", "Perez",
    "Thompson", "White", "Harris", "Sanchez", "Clark", "Ramirez", "Lewis", "Robinson", "Walker", "Young", "Allen", "King", "Wright",
    "Scott", "Torres", "Nguyen", "Hill", "Flores", "Tanaka", "Müller", "Schmidt", "Dubois", "Rossi", "Kowalski", "Novak", "Okafor",
    "Patel", "Ng" };
const std::array kCompanyA { "Acme", "Globex", "Initech", "Umbrella", "Stark", "Wayne", "Wonka", "Tyrell", "Cyberdyne", "Soylent",
    "Hooli", "Vandelay", "Massive", "Pied Piper", "Aperture", "Black Mesa", "Gringotts", "Oscorp", "Nakatomi", "Monarch", "Blue Sun",
    "Dunder", "Sterling", "Prestige", "Atlas", "Northwind", "Contoso", "Fabrikam", "Tailspin", "Litware", "Adatum", "Proseware",
    "Woodgrove", "Lucerne", "Alpine", "Coho", "Fourth Coffee", "Humongous", "Margie's", "Trey", "Wide World", "Blue Yonder",
    "Southridge", "Graphic", "Wingtip", "Relecloud", "Bellows", "Consolidated", "Evergreen", "Summit" };
const std::array kCompanyB { "Industries", "Corp", "Systems", "Labs", "Holdings", "Partners", "Group", "Logistics", "Energy",
    "Foods", "Health", "Media", "Dynamics", "Networks", "Solutions", "Manufacturing", "Capital", "Robotics", "Pharma", "Retail" };
const std::array kSuffix { "Inc.", "LLC", "Ltd.", "GmbH", "S.A.", "plc", "AG", "Co.", "K.K.", "" };
const std::array kCities { "San Francisco", "New York", "Chicago", "Austin", "Seattle", "Boston", "Denver", "Atlanta", "Toronto",
    "London", "Berlin", "Munich", "Paris", "Madrid", "Milan", "Amsterdam", "Stockholm", "Dublin", "Tokyo", "Osaka", "Singapore",
    "Sydney", "Melbourne", "São Paulo", "Mexico City", "Bangalore", "Johannesburg", "Zurich", "Vienna", "Warsaw" };
const std::array kCountries { "USA", "USA", "USA", "USA", "USA", "USA", "USA", "USA", "Canada", "United Kingdom", "Germany",
    "Germany", "France", "Spain", "Italy", "Netherlands", "Sweden", "Ireland", "Japan", "Japan", "Singapore", "Australia", "Australia",
    "Brazil", "Mexico", "India", "South Africa", "Switzerland", "Austria", "Poland" };
const std::array kStates { "CA", "NY", "IL", "TX", "WA", "MA", "CO", "GA", "ON", "", "BY", "BY", "", "", "", "", "", "", "", "", "",
    "NSW", "VIC", "SP", "", "KA", "", "", "", "" };
const std::array kIndustries { "Agriculture", "Apparel", "Banking", "Biotechnology", "Chemicals", "Communications", "Construction",
    "Consulting", "Education", "Electronics", "Energy", "Engineering", "Entertainment", "Finance", "Food & Beverage", "Government",
    "Healthcare", "Hospitality", "Insurance", "Manufacturing", "Media", "Retail", "Technology", "Telecommunications", "Transportation" };
const std::array kAccountTypes { "Prospect", "Customer - Direct", "Customer - Channel", "Channel Partner / Reseller", "Technology Partner",
    "Other" };
const std::array kRatings { "Hot", "Warm", "Cold" };
const std::array kTiers { "Bronze", "Silver", "Gold", "Platinum" };
const std::array kRegions { "AMER", "EMEA", "APAC", "LATAM" };
const std::array kTitles { "CEO", "CFO", "CTO", "VP Sales", "VP Marketing", "Director of Operations", "IT Manager", "Procurement Lead",
    "Account Executive", "Engineer", "Product Manager", "Office Manager", "Head of Finance", "Data Analyst", "Buyer" };
const std::array kDepartments { "Sales", "Marketing", "Finance", "IT", "Operations", "Engineering", "Procurement", "Support" };
const std::array kLeadSources { "Web", "Phone Inquiry", "Partner Referral", "Purchased List", "Other" };
const std::array kStages { "Prospecting", "Qualification", "Needs Analysis", "Value Proposition", "Id. Decision Makers",
    "Perception Analysis", "Proposal/Price Quote", "Negotiation/Review", "Closed Won", "Closed Lost" };
const std::array kStageProb { 10, 10, 20, 50, 60, 70, 75, 90, 100, 0 };
const std::array kOppTypes { "Existing Customer - Upgrade", "Existing Customer - Replacement", "Existing Customer - Downgrade", "New Customer" };
const std::array kProducts { "Platform License", "Support Renewal", "Onboarding Package", "Data Migration", "Analytics Add-on",
    "Hardware Refresh", "Consulting Hours", "Enterprise Upgrade", "Pilot", "Expansion" };
const std::array kCaseSubjects { "Cannot log in to the portal", "Invoice amount is wrong", "Device overheating", "Shipment delayed",
    "Request for training", "Feature request: export to CSV", "Data sync failing", "Password reset not received",
    "Performance degradation", "Integration error 500", "Warranty question", "Cancel subscription" };
const std::array kCaseStatus { "New", "Working", "Escalated", "Closed", "Closed", "Closed" };
const std::array kPriorities { "High", "Medium", "Medium", "Low" };
const std::array kOrigins { "Phone", "Email", "Web" };
const std::array kCaseTypes { "Mechanical", "Electrical", "Electronic", "Structural", "Other" };
const std::array kCaseReasons { "Installation", "Equipment Complexity", "Performance", "Breakdown", "Equipment Design", "Feedback", "Other" };
const std::array kLeadStatus { "Open - Not Contacted", "Working - Contacted", "Closed - Converted", "Closed - Not Converted" };
const std::array kInvoiceStatus { "Draft", "Sent", "Paid", "Paid", "Overdue", "Void" };
const std::array kTags { "Priority", "Recurring", "Disputed", "Discounted", "Export" };
const std::array kLanguages { "English", "German", "French", "Spanish", "Japanese" };
const std::array kSalutations { "Mr.", "Ms.", "Mrs.", "Dr.", "Prof." };
const std::array kLevels { "Primary", "Secondary", "Tertiary" };

class Rng {
public:
    explicit Rng(quint64 seed)
        : m_engine(seed)
    {
    }
    qint64 range(qint64 lo, qint64 hi) { return std::uniform_int_distribution<qint64>(lo, hi)(m_engine); }
    double real(double lo, double hi) { return std::uniform_real_distribution<double>(lo, hi)(m_engine); }
    bool chance(double p) { return real(0, 1) < p; }
    template <typename A>
    const char *pick(const A &arr)
    {
        return arr[size_t(range(0, qint64(arr.size()) - 1))];
    }
    template <typename A>
    size_t index(const A &arr)
    {
        return size_t(range(0, qint64(arr.size()) - 1));
    }

private:
    std::mt19937_64 m_engine;
};

QByteArray slug(const QByteArray &s)
{
    QByteArray out;
    for (char c : s) {
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
            out += c;
        else if (c >= 'A' && c <= 'Z')
            out += char(c - 'A' + 'a');
    }
    return out;
}

QByteArray phone(Rng &r)
{
    return QStringLiteral("(%1) %2-%3").arg(r.range(201, 989)).arg(r.range(200, 999)).arg(r.range(0, 9999), 4, 10, QLatin1Char('0')).toUtf8();
}

QByteArray multi(Rng &r, const auto &arr, int maxItems)
{
    QByteArrayList parts;
    for (const char *v : arr) {
        if (int(parts.size()) < maxItems && r.chance(0.35))
            parts << QByteArray(v);
    }
    return parts.join(';');
}

} // namespace

DataGenerator::Counts DataGenerator::countsFor(double scale)
{
    Counts c;
    auto n = [scale](double base) { return qint64(std::llround(base * scale)); };
    c.users = qMax<qint64>(5, qMin<qint64>(n(25), 2000));
    c.accounts = n(4000);
    c.contacts = n(12000);
    c.opportunities = n(8000);
    c.cases = n(5000);
    c.leads = n(6000);
    c.invoices = n(5000);
    return c;
}

qint64 DataGenerator::generate(Store &store, quint64 seed, double scale, QString *error, QDate anchor)
{
    if (scale <= 0)
        return 0;
    if (!anchor.isValid())
        anchor = QDate::currentDate();
    const Counts c = countsFor(scale);
    Rng r(seed);
    const Schema &schema = store.schema();
    const QDateTime anchorDt(anchor, QTime(0, 0), Qt::UTC);
    auto dt = [&](qint64 secsBack) { return Store::formatDateTime(anchorDt.addSecs(-secsBack)).toUtf8(); };
    auto date = [&](qint64 daysOffset) { return anchor.addDays(daysOffset).toString(QStringLiteral("yyyy-MM-dd")).toUtf8(); };

    Store::Transaction tx(store);
    qint64 written = 0;
    auto fail = [&](const QString &msg) {
        if (error)
            *error = msg;
        return qint64(-1);
    };

    // Users (owners).
    const ObjectDef *user = schema.object(QStringLiteral("User"));
    QList<QByteArray> userIds { store.defaultUserId().toLatin1() };
    {
        Store::BulkInserter ins(store, *user,
            { QStringLiteral("Id"), QStringLiteral("Username"), QStringLiteral("FirstName"), QStringLiteral("LastName"), QStringLiteral("Name"),
                QStringLiteral("Email"), QStringLiteral("Alias"), QStringLiteral("Title"), QStringLiteral("Department"), QStringLiteral("IsActive"),
                QStringLiteral("TimeZoneSidKey"), QStringLiteral("LanguageLocaleKey"), QStringLiteral("IsDeleted"), QStringLiteral("CreatedDate"),
                QStringLiteral("CreatedById"), QStringLiteral("LastModifiedDate"), QStringLiteral("LastModifiedById"), QStringLiteral("SystemModstamp") });
        if (!ins.isValid())
            return fail(ins.error());
        const quint64 first = store.reserveIds(*user, quint64(c.users));
        for (qint64 i = 0; i < c.users; ++i) {
            const QByteArray id = Store::idFor(user->keyPrefix, first + quint64(i)).toLatin1();
            const QByteArray fn = r.pick(kFirst), ln = r.pick(kLast);
            const QByteArray created = dt(r.range(400, 1500) * 86400);
            ins.text(0, id);
            ins.text(1, slug(fn) + '.' + slug(ln) + QByteArray::number(i) + "@forcescope.sim");
            ins.text(2, fn);
            ins.text(3, ln);
            ins.text(4, fn + ' ' + ln);
            ins.text(5, slug(fn) + '.' + slug(ln) + "@forcescope.example");
            ins.text(6, (slug(fn).left(1) + slug(ln)).left(8));
            ins.text(7, r.pick(kTitles));
            ins.text(8, r.pick(kDepartments));
            ins.integer(9, r.chance(0.92) ? 1 : 0);
            ins.text(10, QByteArray("America/New_York"));
            ins.text(11, QByteArray("en_US"));
            ins.integer(12, 0);
            ins.text(13, created);
            ins.text(14, userIds.first());
            ins.text(15, created);
            ins.text(16, userIds.first());
            ins.text(17, created);
            if (!ins.next())
                return fail(ins.error());
            userIds << id;
            ++written;
        }
    }
    auto owner = [&]() -> const QByteArray & { return userIds.at(qsizetype(r.range(0, userIds.size() - 1))); };

    const QStringList sys { QStringLiteral("Id"), QStringLiteral("IsDeleted"), QStringLiteral("OwnerId"), QStringLiteral("CreatedDate"),
        QStringLiteral("CreatedById"), QStringLiteral("LastModifiedDate"), QStringLiteral("LastModifiedById"), QStringLiteral("SystemModstamp") };
    // Binds the 8 system columns; returns the next column index.
    auto bindSystem = [&](Store::BulkInserter &ins, const QByteArray &id, qint64 ageSecs) {
        const QByteArray &o = owner();
        const QByteArray created = dt(ageSecs);
        const QByteArray modified = dt(qMax<qint64>(0, ageSecs - r.range(0, ageSecs)));
        ins.text(0, id);
        ins.integer(1, 0);
        ins.text(2, o);
        ins.text(3, created);
        ins.text(4, o);
        ins.text(5, modified);
        ins.text(6, o);
        ins.text(7, modified);
        return 8;
    };

    // Accounts.
    const ObjectDef *account = schema.object(QStringLiteral("Account"));
    QList<QByteArray> accountIds;
    QList<QByteArray> accountNames;
    accountIds.reserve(c.accounts);
    {
        Store::BulkInserter ins(store, *account,
            sys
                + QStringList { QStringLiteral("Name"), QStringLiteral("AccountNumber"), QStringLiteral("Type"), QStringLiteral("Industry"),
                    QStringLiteral("Rating"), QStringLiteral("AnnualRevenue"), QStringLiteral("NumberOfEmployees"), QStringLiteral("Phone"),
                    QStringLiteral("Website"), QStringLiteral("BillingStreet"), QStringLiteral("BillingCity"), QStringLiteral("BillingState"),
                    QStringLiteral("BillingPostalCode"), QStringLiteral("BillingCountry"), QStringLiteral("Description"), QStringLiteral("ParentId"),
                    QStringLiteral("Tier__c"), QStringLiteral("Regions__c"), QStringLiteral("Customer_Since__c"), QStringLiteral("Health_Score__c"),
                    QStringLiteral("Account_Code__c") });
        if (!ins.isValid())
            return fail(ins.error());
        const quint64 first = store.reserveIds(*account, quint64(c.accounts));
        for (qint64 i = 0; i < c.accounts; ++i) {
            const QByteArray id = Store::idFor(account->keyPrefix, first + quint64(i)).toLatin1();
            int col = bindSystem(ins, id, r.range(1, 1500) * 86400 + r.range(0, 86399));
            QByteArray a = r.pick(kCompanyA), b = r.pick(kCompanyB), s = r.pick(kSuffix);
            QByteArray name = a + ' ' + b + (s.isEmpty() ? QByteArray() : QByteArray(" ") + s);
            if (i >= qint64(kCompanyA.size() * kCompanyB.size()) / 2)
                name += " #" + QByteArray::number(i);
            const size_t city = r.index(kCities);
            ins.text(col++, name);
            ins.text(col++, QByteArray("AC-") + QByteArray::number(100000 + i));
            ins.text(col++, r.pick(kAccountTypes));
            ins.text(col++, r.pick(kIndustries));
            if (r.chance(0.8))
                ins.text(col++, r.pick(kRatings));
            else
                ins.null(col++);
            ins.real(col++, double(r.range(1, 5000)) * 100000.0);
            ins.integer(col++, r.range(5, 250000));
            ins.text(col++, phone(r));
            ins.text(col++, "https://www." + slug(a + b) + ".example");
            ins.text(col++, QByteArray::number(r.range(1, 9999)) + ' ' + r.pick(kLast) + " Street");
            ins.text(col++, QByteArray(kCities[city]));
            ins.text(col++, QByteArray(kStates[city]));
            ins.text(col++, QByteArray::number(r.range(10000, 99999)));
            ins.text(col++, QByteArray(kCountries[city]));
            if (r.chance(0.3))
                ins.text(col++, "Key account in " + QByteArray(kCities[city]) + ". Interested in " + r.pick(kProducts) + '.');
            else
                ins.null(col++);
            if (i > 10 && r.chance(0.08))
                ins.text(col++, accountIds.at(qsizetype(r.range(0, qMin<qint64>(i, 500) - 1))));
            else
                ins.null(col++);
            ins.text(col++, r.pick(kTiers));
            ins.text(col++, multi(r, kRegions, 3));
            ins.text(col++, date(-r.range(30, 3650)));
            ins.real(col++, double(r.range(0, 10000)) / 100.0);
            ins.text(col++, QByteArray("ACC-") + QByteArray::number(seed % 1000) + '-' + QByteArray::number(i + 1));
            if (!ins.next())
                return fail(ins.error());
            accountIds << id;
            accountNames << name;
            ++written;
        }
    }
    auto anyAccount = [&]() -> qsizetype { return qsizetype(r.range(0, accountIds.size() - 1)); };

    // Contacts.
    const ObjectDef *contact = schema.object(QStringLiteral("Contact"));
    QList<QByteArray> contactIds;
    QList<qsizetype> contactAccount;
    QList<QByteArray> contactEmails;
    const bool keepContacts = c.contacts <= 2000000;
    {
        Store::BulkInserter ins(store, *contact,
            sys
                + QStringList { QStringLiteral("FirstName"), QStringLiteral("LastName"), QStringLiteral("Name"), QStringLiteral("Salutation"),
                    QStringLiteral("AccountId"), QStringLiteral("ReportsToId"), QStringLiteral("Title"), QStringLiteral("Department"),
                    QStringLiteral("Email"), QStringLiteral("Phone"), QStringLiteral("MobilePhone"), QStringLiteral("MailingCity"),
                    QStringLiteral("MailingCountry"), QStringLiteral("Birthdate"), QStringLiteral("LeadSource"), QStringLiteral("HasOptedOutOfEmail"),
                    QStringLiteral("Languages__c"), QStringLiteral("Level__c") });
        if (!ins.isValid())
            return fail(ins.error());
        const quint64 first = store.reserveIds(*contact, quint64(c.contacts));
        QByteArray lastInAccount;
        for (qint64 i = 0; i < c.contacts; ++i) {
            const QByteArray id = Store::idFor(contact->keyPrefix, first + quint64(i)).toLatin1();
            int col = bindSystem(ins, id, r.range(1, 1400) * 86400 + r.range(0, 86399));
            const QByteArray fn = r.pick(kFirst), ln = r.pick(kLast);
            const bool orphan = accountIds.isEmpty() || r.chance(0.04);
            const qsizetype acc = orphan ? -1 : anyAccount();
            const size_t city = r.index(kCities);
            const QByteArray email = slug(fn) + '.' + slug(ln) + QByteArray::number(i) + '@'
                + (acc >= 0 ? slug(accountNames.at(acc).left(20)) : QByteArray("mail")) + ".example";
            ins.text(col++, fn);
            ins.text(col++, ln);
            ins.text(col++, fn + ' ' + ln);
            ins.text(col++, r.pick(kSalutations));
            if (acc >= 0)
                ins.text(col++, accountIds.at(acc));
            else
                ins.null(col++);
            if (keepContacts && !contactIds.isEmpty() && r.chance(0.1))
                ins.text(col++, contactIds.at(qsizetype(r.range(qMax<qint64>(0, contactIds.size() - 50), contactIds.size() - 1))));
            else
                ins.null(col++);
            ins.text(col++, r.pick(kTitles));
            ins.text(col++, r.pick(kDepartments));
            ins.text(col++, email);
            ins.text(col++, phone(r));
            if (r.chance(0.6))
                ins.text(col++, phone(r));
            else
                ins.null(col++);
            ins.text(col++, QByteArray(kCities[city]));
            ins.text(col++, QByteArray(kCountries[city]));
            if (r.chance(0.7))
                ins.text(col++, date(-r.range(20 * 365, 65 * 365)));
            else
                ins.null(col++);
            ins.text(col++, r.pick(kLeadSources));
            ins.integer(col++, r.chance(0.1) ? 1 : 0);
            ins.text(col++, QByteArray("English;") + (r.chance(0.4) ? QByteArray(r.pick(kLanguages)) : QByteArray()));
            ins.text(col++, r.pick(kLevels));
            if (!ins.next())
                return fail(ins.error());
            if (keepContacts) {
                contactIds << id;
                contactAccount << acc;
                contactEmails << email;
            }
            ++written;
        }
    }

    // Opportunities.
    const ObjectDef *opp = schema.object(QStringLiteral("Opportunity"));
    QList<QByteArray> oppIds;
    QList<qsizetype> oppAccount;
    QList<double> oppAmount;
    {
        Store::BulkInserter ins(store, *opp,
            sys
                + QStringList { QStringLiteral("Name"), QStringLiteral("AccountId"), QStringLiteral("StageName"), QStringLiteral("Amount"),
                    QStringLiteral("Probability"), QStringLiteral("CloseDate"), QStringLiteral("Type"), QStringLiteral("LeadSource"),
                    QStringLiteral("NextStep"), QStringLiteral("Description"), QStringLiteral("IsClosed"), QStringLiteral("IsWon"),
                    QStringLiteral("ForecastCategoryName") });
        if (!ins.isValid())
            return fail(ins.error());
        const quint64 first = store.reserveIds(*opp, quint64(c.opportunities));
        for (qint64 i = 0; i < c.opportunities; ++i) {
            const QByteArray id = Store::idFor(opp->keyPrefix, first + quint64(i)).toLatin1();
            int col = bindSystem(ins, id, r.range(1, 900) * 86400 + r.range(0, 86399));
            const qsizetype acc = accountIds.isEmpty() ? -1 : anyAccount();
            const size_t stage = r.index(kStages);
            const bool closed = stage >= 8;
            const double amount = double(r.range(5, 2000)) * 500.0;
            ins.text(col++, (acc >= 0 ? accountNames.at(acc).left(60) + " - " : QByteArray()) + r.pick(kProducts));
            if (acc >= 0)
                ins.text(col++, accountIds.at(acc));
            else
                ins.null(col++);
            ins.text(col++, QByteArray(kStages[stage]));
            ins.real(col++, amount);
            ins.real(col++, kStageProb[stage]);
            ins.text(col++, date(closed ? -r.range(1, 700) : r.range(0, 365)));
            ins.text(col++, r.pick(kOppTypes));
            ins.text(col++, r.pick(kLeadSources));
            if (!closed)
                ins.text(col++, QByteArray("Follow up with ") + r.pick(kTitles));
            else
                ins.null(col++);
            ins.null(col++);
            ins.integer(col++, closed ? 1 : 0);
            ins.integer(col++, stage == 8 ? 1 : 0);
            ins.text(col++, stage == 8 ? QByteArray("Closed") : stage == 9 ? QByteArray("Omitted") : stage >= 6 ? QByteArray("Commit") : QByteArray("Pipeline"));
            if (!ins.next())
                return fail(ins.error());
            oppIds << id;
            oppAccount << acc;
            oppAmount << amount;
            ++written;
        }
    }

    // Cases.
    const ObjectDef *kase = schema.object(QStringLiteral("Case"));
    {
        Store::BulkInserter ins(store, *kase,
            sys
                + QStringList { QStringLiteral("CaseNumber"), QStringLiteral("Subject"), QStringLiteral("Description"), QStringLiteral("Status"),
                    QStringLiteral("Priority"), QStringLiteral("Origin"), QStringLiteral("Type"), QStringLiteral("Reason"), QStringLiteral("AccountId"),
                    QStringLiteral("ContactId"), QStringLiteral("IsClosed"), QStringLiteral("IsEscalated"), QStringLiteral("ClosedDate"),
                    QStringLiteral("SuppliedEmail") });
        if (!ins.isValid())
            return fail(ins.error());
        const quint64 first = store.reserveIds(*kase, quint64(c.cases));
        const quint64 firstNumber = store.reserveIds(*kase, 0) + 1000; // numbers follow the record sequence
        for (qint64 i = 0; i < c.cases; ++i) {
            const QByteArray id = Store::idFor(kase->keyPrefix, first + quint64(i)).toLatin1();
            const qint64 age = r.range(0, 720) * 86400 + r.range(0, 86399);
            int col = bindSystem(ins, id, age);
            const qsizetype con = contactIds.isEmpty() ? -1 : qsizetype(r.range(0, contactIds.size() - 1));
            const QByteArray status = r.pick(kCaseStatus);
            const bool closed = status == "Closed";
            ins.text(col++, QStringLiteral("%1").arg(firstNumber + quint64(i), 8, 10, QLatin1Char('0')).toLatin1());
            ins.text(col++, QByteArray(r.pick(kCaseSubjects)));
            ins.text(col++, QByteArray("Customer reported: ") + r.pick(kCaseSubjects) + ". Steps to reproduce attached.");
            ins.text(col++, status);
            ins.text(col++, r.pick(kPriorities));
            ins.text(col++, r.pick(kOrigins));
            ins.text(col++, r.pick(kCaseTypes));
            ins.text(col++, r.pick(kCaseReasons));
            if (con >= 0 && contactAccount.at(con) >= 0)
                ins.text(col++, accountIds.at(contactAccount.at(con)));
            else
                ins.null(col++);
            if (con >= 0)
                ins.text(col++, contactIds.at(con));
            else
                ins.null(col++);
            ins.integer(col++, closed ? 1 : 0);
            ins.integer(col++, status == "Escalated" ? 1 : 0);
            if (closed)
                ins.text(col++, dt(qMax<qint64>(0, age - r.range(3600, 20 * 86400))));
            else
                ins.null(col++);
            if (con >= 0)
                ins.text(col++, contactEmails.at(con));
            else
                ins.null(col++);
            if (!ins.next())
                return fail(ins.error());
            ++written;
        }
    }

    // Leads.
    const ObjectDef *lead = schema.object(QStringLiteral("Lead"));
    {
        Store::BulkInserter ins(store, *lead,
            sys
                + QStringList { QStringLiteral("FirstName"), QStringLiteral("LastName"), QStringLiteral("Name"), QStringLiteral("Company"),
                    QStringLiteral("Title"), QStringLiteral("Email"), QStringLiteral("Phone"), QStringLiteral("Website"), QStringLiteral("Status"),
                    QStringLiteral("LeadSource"), QStringLiteral("Industry"), QStringLiteral("Rating"), QStringLiteral("AnnualRevenue"),
                    QStringLiteral("NumberOfEmployees"), QStringLiteral("IsConverted"), QStringLiteral("City"), QStringLiteral("Country") });
        if (!ins.isValid())
            return fail(ins.error());
        const quint64 first = store.reserveIds(*lead, quint64(c.leads));
        for (qint64 i = 0; i < c.leads; ++i) {
            const QByteArray id = Store::idFor(lead->keyPrefix, first + quint64(i)).toLatin1();
            int col = bindSystem(ins, id, r.range(0, 500) * 86400 + r.range(0, 86399));
            const QByteArray fn = r.pick(kFirst), ln = r.pick(kLast);
            const QByteArray company = QByteArray(r.pick(kCompanyA)) + ' ' + r.pick(kCompanyB);
            const QByteArray status = r.pick(kLeadStatus);
            const size_t city = r.index(kCities);
            ins.text(col++, fn);
            ins.text(col++, ln);
            ins.text(col++, fn + ' ' + ln);
            ins.text(col++, company);
            ins.text(col++, r.pick(kTitles));
            ins.text(col++, slug(fn) + '.' + slug(ln) + QByteArray::number(i) + '@' + slug(company) + ".example");
            ins.text(col++, phone(r));
            ins.text(col++, "https://" + slug(company) + ".example");
            ins.text(col++, status);
            ins.text(col++, r.pick(kLeadSources));
            ins.text(col++, r.pick(kIndustries));
            ins.text(col++, r.pick(kRatings));
            ins.real(col++, double(r.range(1, 1000)) * 50000.0);
            ins.integer(col++, r.range(1, 50000));
            ins.integer(col++, status == "Closed - Converted" ? 1 : 0);
            ins.text(col++, QByteArray(kCities[city]));
            ins.text(col++, QByteArray(kCountries[city]));
            if (!ins.next())
                return fail(ins.error());
            ++written;
        }
    }

    // Invoices (custom object).
    const ObjectDef *invoice = schema.object(QStringLiteral("Invoice__c"));
    {
        Store::BulkInserter ins(store, *invoice,
            sys
                + QStringList { QStringLiteral("Name"), QStringLiteral("Invoice_Number__c"), QStringLiteral("Account__c"), QStringLiteral("Opportunity__c"),
                    QStringLiteral("Bill_To__c"), QStringLiteral("Amount__c"), QStringLiteral("Tax_Rate__c"), QStringLiteral("Quantity__c"),
                    QStringLiteral("Line_Count__c"), QStringLiteral("Status__c"), QStringLiteral("Tags__c"), QStringLiteral("Issue_Date__c"),
                    QStringLiteral("Due_Date__c"), QStringLiteral("Paid__c"), QStringLiteral("Paid_At__c"), QStringLiteral("Contact_Email__c"),
                    QStringLiteral("Billing_Phone__c"), QStringLiteral("Portal_Url__c"), QStringLiteral("Notes__c") });
        if (!ins.isValid())
            return fail(ins.error());
        const quint64 first = store.reserveIds(*invoice, quint64(c.invoices));
        for (qint64 i = 0; i < c.invoices; ++i) {
            const QByteArray id = Store::idFor(invoice->keyPrefix, first + quint64(i)).toLatin1();
            const qint64 issuedDaysAgo = r.range(0, 700);
            int col = bindSystem(ins, id, issuedDaysAgo * 86400 + r.range(0, 86399));
            const qsizetype o = oppIds.isEmpty() ? -1 : qsizetype(r.range(0, oppIds.size() - 1));
            const qsizetype acc = o >= 0 ? oppAccount.at(o) : -1;
            const qsizetype con = contactIds.isEmpty() ? -1 : qsizetype(r.range(0, contactIds.size() - 1));
            const QByteArray status = r.pick(kInvoiceStatus);
            const bool paid = status == "Paid";
            const QByteArray number = "INV-" + QByteArray::number(seed % 100) + '-' + QStringLiteral("%1").arg(i + 1, 7, 10, QLatin1Char('0')).toLatin1();
            ins.text(col++, number);
            ins.text(col++, number);
            if (acc >= 0)
                ins.text(col++, accountIds.at(acc));
            else
                ins.null(col++);
            if (o >= 0)
                ins.text(col++, oppIds.at(o));
            else
                ins.null(col++);
            if (con >= 0)
                ins.text(col++, contactIds.at(con));
            else
                ins.null(col++);
            ins.real(col++, o >= 0 ? std::round(oppAmount.at(o) * r.real(0.1, 1.0) * 100.0) / 100.0 : double(r.range(100, 100000)));
            ins.real(col++, double(r.range(0, 25)));
            ins.real(col++, double(r.range(1, 500)));
            ins.integer(col++, r.range(1, 40));
            ins.text(col++, status);
            ins.text(col++, multi(r, kTags, 2));
            ins.text(col++, date(-issuedDaysAgo));
            ins.text(col++, date(-issuedDaysAgo + 30));
            ins.integer(col++, paid ? 1 : 0);
            if (paid)
                ins.text(col++, dt(qMax<qint64>(0, issuedDaysAgo * 86400 - r.range(86400, 30 * 86400))));
            else
                ins.null(col++);
            if (con >= 0)
                ins.text(col++, contactEmails.at(con));
            else
                ins.null(col++);
            ins.text(col++, phone(r));
            ins.text(col++, "https://billing.forcescope.example/i/" + number);
            if (r.chance(0.2))
                ins.text(col++, QByteArray("Net 30. ") + r.pick(kProducts) + " billed quarterly.");
            else
                ins.null(col++);
            if (!ins.next())
                return fail(ins.error());
            ++written;
        }
    }
    tx.commit();
    store.createIndexes();
    store.refreshSequences();
    return written;
}

} // namespace fs::sim

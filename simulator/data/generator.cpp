#include "generator.h"

#include "store/store.h"

#include <QDateTime>
#include <QStringList>

#include <array>
#include <charconv>
#include <cstring>
#include <vector>
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

// A short value assembled without heap allocation; bound (copied) straight into the insert.
class Text {
public:
    Text &operator<<(QByteArrayView s)
    {
        const qsizetype n = qMin<qsizetype>(s.size(), qsizetype(sizeof(m_buf)) - m_len);
        if (n > 0)
            std::memcpy(m_buf + m_len, s.data(), size_t(n));
        m_len += n;
        return *this;
    }
    Text &operator<<(char c) { return *this << QByteArrayView(&c, 1); }
    Text &operator<<(qint64 v)
    {
        char digits[24];
        const auto r = std::to_chars(digits, digits + sizeof(digits), v);
        return *this << QByteArrayView(digits, r.ptr - digits);
    }
    // v in [0, 10^width) written with leading zeros.
    Text &padded(qint64 v, int width)
    {
        char digits[24];
        for (int i = width - 1; i >= 0; --i) {
            digits[i] = char('0' + v % 10);
            v /= 10;
        }
        return *this << QByteArrayView(digits, width);
    }
    QByteArrayView view() const { return QByteArrayView(m_buf, m_len); }
    operator QByteArrayView() const { return view(); }
    QByteArray toByteArray() const { return QByteArray(m_buf, m_len); }
    void clear() { m_len = 0; }

private:
    char m_buf[240];
    qsizetype m_len = 0;
};

Text phone(Rng &r)
{
    const qint64 area = r.range(201, 989);
    const qint64 exchange = r.range(200, 999);
    const qint64 line = r.range(0, 9999);
    Text t;
    t << '(' << area << ") " << exchange << '-';
    t.padded(line, 4);
    return t;
}

Text multi(Rng &r, const auto &arr, int maxItems)
{
    Text t;
    int parts = 0;
    for (const char *v : arr) {
        if (parts < maxItems && r.chance(0.35)) {
            if (parts++ > 0)
                t << ';';
            t << v;
        }
    }
    return t;
}

// Slugs of a fixed word list, computed once.
template <typename A>
std::vector<QByteArray> slugs(const A &arr)
{
    std::vector<QByteArray> out;
    for (const char *v : arr)
        out.push_back(slug(QByteArray(v)));
    return out;
}

// Timestamps and dates relative to the anchor day, formatted without QDateTime/QLocale.
class Clock {
public:
    explicit Clock(QDate anchor)
        : m_anchorJd(anchor.toJulianDay())
    {
    }
    // 'YYYY-MM-DDTHH:MM:SS.000+0000', secsBack seconds before the anchor's midnight (UTC).
    Text dateTime(qint64 secsBack) const
    {
        const qint64 t = -secsBack;
        const qint64 days = t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
        const qint64 sod = t - days * 86400;
        Text out = date(days);
        out << 'T';
        out.padded(sod / 3600, 2) << ':';
        out.padded(sod / 60 % 60, 2) << ':';
        out.padded(sod % 60, 2) << ".000+0000";
        return out;
    }
    // 'YYYY-MM-DD', daysOffset days after the anchor.
    Text date(qint64 daysOffset) const
    {
        int y = 0, m = 0, d = 0;
        QDate::fromJulianDay(m_anchorJd + daysOffset).getDate(&y, &m, &d);
        Text out;
        out.padded(y, 4) << '-';
        out.padded(m, 2) << '-';
        out.padded(d, 2);
        return out;
    }

private:
    qint64 m_anchorJd;
};

// The 18-character ids of one object's reserved range.
class IdRange {
public:
    IdRange(const ObjectDef &obj, quint64 first)
        : m_prefix(obj.keyPrefix.toLatin1())
        , m_first(first)
    {
    }
    QByteArrayView operator()(qint64 index)
    {
        Store::writeId(m_buf, m_prefix.constData(), m_first + quint64(index));
        return QByteArrayView(m_buf, 18);
    }
    QByteArray id(qint64 index) { return (*this)(index).toByteArray(); }

private:
    QByteArray m_prefix;
    quint64 m_first;
    char m_buf[18];
};

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
    const Clock clock(anchor);
    auto dt = [&](qint64 secsBack) { return clock.dateTime(secsBack); };
    auto date = [&](qint64 daysOffset) { return clock.date(daysOffset); };
    // Two draws in one expression, in a fixed order: days back, then a second within that day.
    auto age = [&](qint64 minDays, qint64 maxDays) {
        const qint64 days = r.range(minDays, maxDays);
        return days * 86400 + r.range(0, 86399);
    };
    const std::vector<QByteArray> firstSlugs = slugs(kFirst), lastSlugs = slugs(kLast);

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
        IdRange ids(*user, store.reserveIds(*user, quint64(c.users)));
        for (qint64 i = 0; i < c.users; ++i) {
            const QByteArray id = ids.id(i);
            const QByteArray fn = r.pick(kFirst), ln = r.pick(kLast);
            const Text created = dt(r.range(400, 1500) * 86400);
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
            ins.text(10, "America/New_York");
            ins.text(11, "en_US");
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
    auto bindSystem = [&](Store::BulkInserter &ins, QByteArrayView id, qint64 ageSecs) {
        const QByteArray &o = owner();
        const Text created = dt(ageSecs);
        const Text modified = dt(qMax<qint64>(0, ageSecs - r.range(0, ageSecs)));
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
    QList<QByteArray> accountNames;
    QList<QByteArray> accountSlugs; // slug of the first 20 characters of the name, for e-mail domains
    accountNames.reserve(c.accounts);
    accountSlugs.reserve(c.accounts);
    IdRange accountIds(*account, store.reserveIds(*account, quint64(c.accounts)));
    IdRange accountRefs = accountIds; // a second buffer, so two account ids can be bound in one row
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
        const QByteArray seedCode = QByteArray::number(seed % 1000);
        for (qint64 i = 0; i < c.accounts; ++i) {
            int col = bindSystem(ins, accountIds(i), age(1, 1500));
            const size_t ia = r.index(kCompanyA), ib = r.index(kCompanyB), is = r.index(kSuffix);
            const QByteArrayView a(kCompanyA[ia]), b(kCompanyB[ib]), sfx(kSuffix[is]);
            Text name;
            name << a << ' ' << b;
            if (!sfx.isEmpty())
                name << ' ' << sfx;
            if (i >= qint64(kCompanyA.size() * kCompanyB.size()) / 2)
                name << " #" << i;
            const size_t city = r.index(kCities);
            ins.text(col++, name);
            ins.text(col++, Text() << "AC-" << (100000 + i));
            ins.text(col++, r.pick(kAccountTypes));
            ins.text(col++, r.pick(kIndustries));
            if (r.chance(0.8))
                ins.text(col++, r.pick(kRatings));
            else
                ins.null(col++);
            ins.real(col++, double(r.range(1, 5000)) * 100000.0);
            ins.integer(col++, r.range(5, 250000));
            ins.text(col++, phone(r));
            ins.text(col++, Text() << "https://www." << slug(a.toByteArray() + b.toByteArray()) << ".example");
            {
                // The street name is drawn before the house number (the order the data has always had).
                const QByteArrayView street(r.pick(kLast));
                const qint64 number = r.range(1, 9999);
                ins.text(col++, Text() << number << ' ' << street << " Street");
            }
            ins.text(col++, kCities[city]);
            ins.text(col++, kStates[city]);
            ins.text(col++, Text() << r.range(10000, 99999));
            ins.text(col++, kCountries[city]);
            if (r.chance(0.3))
                ins.text(col++, Text() << "Key account in " << kCities[city] << ". Interested in " << r.pick(kProducts) << '.');
            else
                ins.null(col++);
            if (i > 10 && r.chance(0.08))
                ins.text(col++, accountRefs(r.range(0, qMin<qint64>(i, 500) - 1)));
            else
                ins.null(col++);
            ins.text(col++, r.pick(kTiers));
            ins.text(col++, multi(r, kRegions, 3));
            ins.text(col++, date(-r.range(30, 3650)));
            ins.real(col++, double(r.range(0, 10000)) / 100.0);
            ins.text(col++, Text() << "ACC-" << seedCode << '-' << (i + 1));
            if (!ins.next())
                return fail(ins.error());
            const QByteArray n = name.toByteArray();
            accountSlugs << slug(n.left(20));
            accountNames << n;
            ++written;
        }
    }
    const qint64 accountCount = c.accounts;
    auto anyAccount = [&]() -> qsizetype { return qsizetype(r.range(0, accountCount - 1)); };

    // Contacts. Kept per contact for cases and invoices: the account and the e-mail's parts.
    const ObjectDef *contact = schema.object(QStringLiteral("Contact"));
    struct ContactInfo {
        qint32 account; // -1: none
        quint8 first, last;
    };
    std::vector<ContactInfo> contacts;
    const bool keepContacts = c.contacts <= 2000000;
    IdRange contactIds(*contact, store.reserveIds(*contact, quint64(c.contacts)));
    IdRange contactRefs = contactIds;
    auto contactEmail = [&](qint64 i, size_t first, size_t last, qsizetype acc) {
        Text email;
        email << firstSlugs[first] << '.' << lastSlugs[last] << i << '@';
        if (acc >= 0)
            email << accountSlugs.at(acc);
        else
            email << "mail";
        email << ".example";
        return email;
    };
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
        if (keepContacts)
            contacts.reserve(size_t(c.contacts));
        for (qint64 i = 0; i < c.contacts; ++i) {
            int col = bindSystem(ins, contactIds(i), age(1, 1400));
            const size_t fi = r.index(kFirst), li = r.index(kLast);
            const QByteArrayView fn(kFirst[fi]), ln(kLast[li]);
            const bool orphan = accountCount == 0 || r.chance(0.04);
            const qsizetype acc = orphan ? -1 : anyAccount();
            const size_t city = r.index(kCities);
            ins.text(col++, fn);
            ins.text(col++, ln);
            ins.text(col++, Text() << fn << ' ' << ln);
            ins.text(col++, r.pick(kSalutations));
            if (acc >= 0)
                ins.text(col++, accountRefs(acc));
            else
                ins.null(col++);
            if (keepContacts && i > 0 && r.chance(0.1))
                ins.text(col++, contactRefs(r.range(qMax<qint64>(0, i - 50), i - 1)));
            else
                ins.null(col++);
            ins.text(col++, r.pick(kTitles));
            ins.text(col++, r.pick(kDepartments));
            ins.text(col++, contactEmail(i, fi, li, acc));
            ins.text(col++, phone(r));
            if (r.chance(0.6))
                ins.text(col++, phone(r));
            else
                ins.null(col++);
            ins.text(col++, kCities[city]);
            ins.text(col++, kCountries[city]);
            if (r.chance(0.7))
                ins.text(col++, date(-r.range(20 * 365, 65 * 365)));
            else
                ins.null(col++);
            ins.text(col++, r.pick(kLeadSources));
            ins.integer(col++, r.chance(0.1) ? 1 : 0);
            if (r.chance(0.4))
                ins.text(col++, Text() << "English;" << r.pick(kLanguages));
            else
                ins.text(col++, "English;");
            ins.text(col++, r.pick(kLevels));
            if (!ins.next())
                return fail(ins.error());
            if (keepContacts)
                contacts.push_back({ qint32(acc), quint8(fi), quint8(li) });
            ++written;
        }
    }
    const auto contactCount = qint64(contacts.size());

    // Opportunities.
    const ObjectDef *opp = schema.object(QStringLiteral("Opportunity"));
    std::vector<qint32> oppAccount;
    std::vector<double> oppAmount;
    oppAccount.reserve(size_t(c.opportunities));
    oppAmount.reserve(size_t(c.opportunities));
    IdRange oppIds(*opp, store.reserveIds(*opp, quint64(c.opportunities)));
    IdRange oppRefs = oppIds;
    {
        Store::BulkInserter ins(store, *opp,
            sys
                + QStringList { QStringLiteral("Name"), QStringLiteral("AccountId"), QStringLiteral("StageName"), QStringLiteral("Amount"),
                    QStringLiteral("Probability"), QStringLiteral("CloseDate"), QStringLiteral("Type"), QStringLiteral("LeadSource"),
                    QStringLiteral("NextStep"), QStringLiteral("Description"), QStringLiteral("IsClosed"), QStringLiteral("IsWon"),
                    QStringLiteral("ForecastCategoryName") });
        if (!ins.isValid())
            return fail(ins.error());
        for (qint64 i = 0; i < c.opportunities; ++i) {
            int col = bindSystem(ins, oppIds(i), age(1, 900));
            const qsizetype acc = accountCount == 0 ? -1 : anyAccount();
            const size_t stage = r.index(kStages);
            const bool closed = stage >= 8;
            const double amount = double(r.range(5, 2000)) * 500.0;
            Text name;
            if (acc >= 0)
                name << QByteArrayView(accountNames.at(acc)).first(qMin<qsizetype>(60, accountNames.at(acc).size())) << " - ";
            name << r.pick(kProducts);
            ins.text(col++, name);
            if (acc >= 0)
                ins.text(col++, accountRefs(acc));
            else
                ins.null(col++);
            ins.text(col++, kStages[stage]);
            ins.real(col++, amount);
            ins.real(col++, kStageProb[stage]);
            ins.text(col++, date(closed ? -r.range(1, 700) : r.range(0, 365)));
            ins.text(col++, r.pick(kOppTypes));
            ins.text(col++, r.pick(kLeadSources));
            if (!closed)
                ins.text(col++, Text() << "Follow up with " << r.pick(kTitles));
            else
                ins.null(col++);
            ins.null(col++);
            ins.integer(col++, closed ? 1 : 0);
            ins.integer(col++, stage == 8 ? 1 : 0);
            ins.text(col++, stage == 8 ? "Closed" : stage == 9 ? "Omitted" : stage >= 6 ? "Commit" : "Pipeline");
            if (!ins.next())
                return fail(ins.error());
            oppAccount.push_back(qint32(acc));
            oppAmount.push_back(amount);
            ++written;
        }
    }
    const qint64 oppCount = c.opportunities;

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
        IdRange ids(*kase, store.reserveIds(*kase, quint64(c.cases)));
        const quint64 firstNumber = store.reserveIds(*kase, 0) + 1000; // numbers follow the record sequence
        for (qint64 i = 0; i < c.cases; ++i) {
            const qint64 ageSecs = age(0, 720);
            int col = bindSystem(ins, ids(i), ageSecs);
            const qsizetype con = contactCount == 0 ? -1 : qsizetype(r.range(0, contactCount - 1));
            const QByteArrayView status(r.pick(kCaseStatus));
            const bool closed = status == "Closed";
            ins.text(col++, Text().padded(qint64(firstNumber + quint64(i)), 8));
            ins.text(col++, r.pick(kCaseSubjects));
            ins.text(col++, Text() << "Customer reported: " << r.pick(kCaseSubjects) << ". Steps to reproduce attached.");
            ins.text(col++, status);
            ins.text(col++, r.pick(kPriorities));
            ins.text(col++, r.pick(kOrigins));
            ins.text(col++, r.pick(kCaseTypes));
            ins.text(col++, r.pick(kCaseReasons));
            const ContactInfo *ci = con >= 0 ? &contacts[size_t(con)] : nullptr;
            if (ci && ci->account >= 0)
                ins.text(col++, accountRefs(ci->account));
            else
                ins.null(col++);
            if (ci)
                ins.text(col++, contactRefs(con));
            else
                ins.null(col++);
            ins.integer(col++, closed ? 1 : 0);
            ins.integer(col++, status == "Escalated" ? 1 : 0);
            if (closed)
                ins.text(col++, dt(qMax<qint64>(0, ageSecs - r.range(3600, 20 * 86400))));
            else
                ins.null(col++);
            if (ci)
                ins.text(col++, contactEmail(con, ci->first, ci->last, ci->account));
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
        IdRange ids(*lead, store.reserveIds(*lead, quint64(c.leads)));
        for (qint64 i = 0; i < c.leads; ++i) {
            int col = bindSystem(ins, ids(i), age(0, 500));
            const size_t fi = r.index(kFirst), li = r.index(kLast);
            const QByteArrayView fn(kFirst[fi]), ln(kLast[li]);
            // The company's second word is drawn before its first (the order the data has always had).
            const size_t cb = r.index(kCompanyB);
            const size_t ca = r.index(kCompanyA);
            Text company;
            company << kCompanyA[ca] << ' ' << kCompanyB[cb];
            const QByteArray companySlug = slug(company.toByteArray());
            const QByteArrayView status(r.pick(kLeadStatus));
            const size_t city = r.index(kCities);
            ins.text(col++, fn);
            ins.text(col++, ln);
            ins.text(col++, Text() << fn << ' ' << ln);
            ins.text(col++, company);
            ins.text(col++, r.pick(kTitles));
            ins.text(col++, Text() << firstSlugs[fi] << '.' << lastSlugs[li] << i << '@' << companySlug << ".example");
            ins.text(col++, phone(r));
            ins.text(col++, Text() << "https://" << companySlug << ".example");
            ins.text(col++, status);
            ins.text(col++, r.pick(kLeadSources));
            ins.text(col++, r.pick(kIndustries));
            ins.text(col++, r.pick(kRatings));
            ins.real(col++, double(r.range(1, 1000)) * 50000.0);
            ins.integer(col++, r.range(1, 50000));
            ins.integer(col++, status == "Closed - Converted" ? 1 : 0);
            ins.text(col++, kCities[city]);
            ins.text(col++, kCountries[city]);
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
        IdRange ids(*invoice, store.reserveIds(*invoice, quint64(c.invoices)));
        const QByteArray seedCode = QByteArray::number(seed % 100);
        for (qint64 i = 0; i < c.invoices; ++i) {
            const qint64 issuedDaysAgo = r.range(0, 700);
            int col = bindSystem(ins, ids(i), issuedDaysAgo * 86400 + r.range(0, 86399));
            const qsizetype o = oppCount == 0 ? -1 : qsizetype(r.range(0, oppCount - 1));
            const qsizetype acc = o >= 0 ? oppAccount[size_t(o)] : -1;
            const qsizetype con = contactCount == 0 ? -1 : qsizetype(r.range(0, contactCount - 1));
            const QByteArrayView status(r.pick(kInvoiceStatus));
            const bool paid = status == "Paid";
            Text number;
            number << "INV-" << seedCode << '-';
            number.padded(i + 1, 7);
            ins.text(col++, number);
            ins.text(col++, number);
            if (acc >= 0)
                ins.text(col++, accountRefs(acc));
            else
                ins.null(col++);
            if (o >= 0)
                ins.text(col++, oppRefs(o));
            else
                ins.null(col++);
            if (con >= 0)
                ins.text(col++, contactRefs(con));
            else
                ins.null(col++);
            ins.real(col++, o >= 0 ? std::round(oppAmount[size_t(o)] * r.real(0.1, 1.0) * 100.0) / 100.0 : double(r.range(100, 100000)));
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
            if (con >= 0) {
                const ContactInfo &ci = contacts[size_t(con)];
                ins.text(col++, contactEmail(con, ci.first, ci.last, ci.account));
            } else {
                ins.null(col++);
            }
            ins.text(col++, phone(r));
            ins.text(col++, Text() << "https://billing.forcescope.example/i/" << number);
            if (r.chance(0.2))
                ins.text(col++, Text() << "Net 30. " << r.pick(kProducts) << " billed quarterly.");
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

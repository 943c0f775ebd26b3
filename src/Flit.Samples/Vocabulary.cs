namespace Flit.Samples;

/// <summary>Words realistic records are made of.</summary>
internal static class Vocabulary
{
    public static readonly string[] FirstNames = ["Olivia", "Noah", "Amelia", "Oliver", "Isla", "George", "Ava", "Arthur", "Mia", "Leo", "Grace", "Oscar", "Sofia", "Jack", "Emily", "Harry", "Chloé", "Mateo", "Zoë", "Liam", "Aoife", "Søren", "Ingrid", "José", "Priya", "Mohammed", "Wei", "Fatima", "Lucas", "Hannah"];

    public static readonly string[] LastNames = ["Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Patel", "Robinson", "Wright", "Thompson", "Evans", "Walker", "White", "Roberts", "Green", "Hall", "O'Brien", "van der Berg", "García", "Müller", "Nguyen", "Kowalski", "MacDonald", "Jørgensen", "de la Cruz", "Hughes", "Edwards", "Khan"];

    public static readonly string[] NonLatinNames = ["Анна Смирнова", "Дмитрий Иванов", "Γιώργος Παπαδόπουλος", "Ελένη Νικολάου", "王小明", "李娜", "山田太郎", "佐藤花子", "محمد علي", "فاطمة حسن", "김민준", "이서연"];

    public static readonly string[] CompanyStems = ["Acme", "Northwind", "Contoso", "Fabrikam", "Globex", "Initech", "Umbrella", "Stark", "Wayne", "Tyrell", "Hooli", "Vandelay", "Bluth", "Wonka", "Soylent", "Cyberdyne", "Aperture", "Oceanic", "Gringotts", "Monarch"];

    public static readonly string[] CompanyKinds = ["Logistics", "Health", "Foods", "Legal", "Energy", "Retail", "Holdings", "Services", "Partners", "Analytics"];

    public static readonly string[] LegalForms = ["Ltd", "Limited", "Pty Ltd", "Inc", "GmbH", "LLC", "plc", ""];

    public static readonly string[] Streets = ["High Street", "Station Road", "Church Lane", "Victoria Road", "Green Lane", "Manor Road", "Park Avenue", "Queen Street", "King's Road", "Mill Lane"];

    public static readonly string[] Cities = ["London", "Manchester", "Leeds", "Bristol", "Sydney", "Melbourne", "Brisbane", "New York", "Boston", "Copenhagen", "Aarhus", "Dublin"];

    public static readonly string[] Regions = ["Greater London", "Lancashire", "Yorkshire", "NSW", "VIC", "QLD", "NY", "MA", "Hovedstaden"];

    public static readonly string[] Countries = ["United Kingdom", "Australia", "United States", "Denmark", "Ireland"];

    public static readonly string[] Subjects = ["Follow up on renewal", "Records request", "Quarterly review", "Complaint about delivery", "Safety inspection", "Invoice query", "Onboarding call", "Contract amendment", "Site visit", "Benefit claim"];

    public static readonly string[] Sentences = ["Spoke with the client about next steps.", "Documents received and filed.", "Waiting for the signed form.", "Escalated to the supervisor for review.", "Customer asked for a call back next week.", "Meeting moved to Thursday.", "Payment plan agreed.", "Sent the summary by e-mail."];

    public static readonly string[] Emoji = ["😀", "👍", "🎉", "✅", "📎", "🚚"];
}

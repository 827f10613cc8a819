package sandbox

// The catalogues the personas and transactions are drawn from. Employers,
// landlords and people are invented. Shops and contract partners carry the
// names of well-known German companies so that the data looks familiar and
// exercises categorisation, but every IBAN, creditor identifier, mandate
// reference, contract and customer number attached to them is made up
// here, with valid check digits only.
//
// Texts that go into purposes are ASCII in the SWIFT character set, so that
// they pass unchanged into MT940.

// bankRef is a real German bank (bank code and BIC as in the bank
// directory) that counterparties keep their accounts at.
type bankRef struct {
	code, bic, name string
}

var banks = []bankRef{
	{"37050198", "COLSDE33XXX", "Sparkasse KoelnBonn"},
	{"10050000", "BELADEBEXXX", "Berliner Sparkasse"},
	{"20050550", "HASPDEHHXXX", "Hamburger Sparkasse"},
	{"70150000", "SSKMDEMMXXX", "Stadtsparkasse Muenchen"},
	{"50050201", "HELADEF1822", "Frankfurter Sparkasse"},
	{"60050101", "SOLADEST600", "BW-Bank"},
	{"86055592", "WELADE8LXXX", "Stadt- und Kreissparkasse Leipzig"},
	{"30050110", "DUSSDEDDXXX", "Stadtsparkasse Duesseldorf"},
	{"25050180", "SPKHDE2HXXX", "Sparkasse Hannover"},
	{"50070010", "DEUTDEFFXXX", "Deutsche Bank"},
	{"37070060", "DEUTDEDKXXX", "Deutsche Bank"},
	{"70020270", "HYVEDEMMXXX", "HypoVereinsbank"},
	{"50010517", "INGDDEFFXXX", "ING"},
	{"12030000", "BYLADEM1001", "DKB"},
	{"10040000", "COBADEBBXXX", "Commerzbank"},
	{"43060967", "GENODEM1GLS", "GLS Bank"},
}

// City is where a persona lives. south tells whether the discounter there
// is ALDI SUED (south and west) or ALDI NORD.
type city struct {
	name    string // as in addresses
	upper   string // as in card purposes
	south   bool
	bank    int // index into banks: the local savings bank
	streets []string
	energy  string // the local utility
}

var cities = []city{
	{"Koeln", "KOELN", true, 0, []string{"Aachener Str.", "Venloer Str.", "Zuelpicher Str.", "Neusser Str."}, "RheinEnergie AG"},
	{"Berlin", "BERLIN", false, 1, []string{"Schoenhauser Allee", "Sonnenallee", "Kantstr.", "Boxhagener Str."}, "Vattenfall Europe Sales GmbH"},
	{"Hamburg", "HAMBURG", false, 2, []string{"Osterstr.", "Eppendorfer Weg", "Max-Brauer-Allee"}, "Hamburg Energie GmbH"},
	{"Muenchen", "MUENCHEN", true, 3, []string{"Leopoldstr.", "Schwanthalerstr.", "Rosenheimer Str."}, "Stadtwerke Muenchen GmbH"},
	{"Frankfurt am Main", "FRANKFURT", true, 4, []string{"Berger Str.", "Leipziger Str.", "Schweizer Str."}, "Mainova AG"},
	{"Stuttgart", "STUTTGART", true, 5, []string{"Hauptstaetter Str.", "Rotebuehlstr.", "Boeblinger Str."}, "EnBW Energie Baden-Wuerttemberg AG"},
	{"Leipzig", "LEIPZIG", false, 6, []string{"Karl-Liebknecht-Str.", "Eisenbahnstr.", "Georg-Schwarz-Str."}, "Stadtwerke Leipzig GmbH"},
	{"Duesseldorf", "DUESSELDORF", true, 7, []string{"Kruppstr.", "Brunnenstr.", "Nordstr."}, "Stadtwerke Duesseldorf AG"},
	{"Hannover", "HANNOVER", false, 8, []string{"Limmerstr.", "Lister Meile", "Podbielskistr."}, "enercity AG"},
}

var firstNames = []string{
	"Torben", "Julia", "Lukas", "Anna", "Jonas", "Lea", "Felix", "Marie", "Tim", "Sophie",
	"Jan", "Laura", "Niklas", "Hannah", "Paul", "Lena", "Moritz", "Katharina", "Sebastian", "Miriam",
}

var lastNames = []string{
	"Mais", "Schmitz", "Becker", "Hoffmann", "Wagner", "Schulz", "Koch", "Richter", "Klein", "Wolf",
	"Neumann", "Schwarz", "Zimmermann", "Krause", "Hartmann", "Lange", "Werner", "Lehmann", "Kaiser", "Fuchs",
}

var childNames = []string{"Mia", "Ben", "Emma", "Noah", "Lina", "Finn", "Ella", "Leon"}

// Employers are invented.
var employers = []string{
	"Rheinblick Logistik GmbH",
	"Nordlicht Software GmbH",
	"Isartal Maschinenbau AG",
	"Mainufer Consulting GmbH",
	"Elbwerk Medien GmbH",
	"Spreeblick Pflegedienste gGmbH",
	"Neckar Elektrotechnik GmbH + Co. KG",
	"Hansekontor Handels GmbH",
}

// Landlords are invented.
var landlords = []string{
	"Hausverwaltung Becker GmbH",
	"Wohnungsbau Rheinland eG",
	"Immobilienverwaltung Krause",
	"Gemeinnuetzige Wohnstaetten eG",
	"Grundbesitz Schneider GbR",
}

// merchantClass groups card merchants by what they sell; it decides on
// which days they are open and what people spend there.
type merchantClass uint8

const (
	grocery merchantClass = iota
	bakery
	drugstore
	fuel
	restaurant
	shopping
	pharmacy
	online // the credit card's online shops and travel
)

// merchant is a shop whose card payments appear in purposes as text.
type merchant struct {
	text     string // the terminal's text in the purpose
	name     string // the counterparty name
	class    merchantClass
	min, max int64 // amount range in cents
}

var giroMerchants = []merchant{
	{"REWE SAGT DANKE", "REWE Markt GmbH", grocery, 350, 9500},
	{"EDEKA", "EDEKA Zentrale Stiftung + Co. KG", grocery, 300, 8500},
	{"ALDI SUED", "ALDI SE + Co. KG", grocery, 250, 7500},
	{"ALDI NORD", "ALDI Einkauf SE + Co. oHG", grocery, 250, 7500},
	{"LIDL DIENSTL", "Lidl Dienstleistung GmbH + Co. KG", grocery, 250, 7800},
	{"NETTO MARKEN-DISCOUNT", "Netto Marken-Discount Stiftung + Co. KG", grocery, 200, 5500},
	{"BACKWERK", "BackWerk Management GmbH", bakery, 180, 1250},
	{"BAECKEREI KAMPS", "Kamps GmbH", bakery, 190, 1400},
	{"DM-DROGERIE MARKT", "dm-drogerie markt GmbH + Co. KG", drugstore, 199, 4500},
	{"ROSSMANN", "Dirk Rossmann GmbH", drugstore, 149, 3800},
	{"ARAL STATION", "Aral AG", fuel, 2800, 8900},
	{"SHELL", "Shell Deutschland GmbH", fuel, 2500, 8500},
	{"JET TANKSTELLE", "JET Tankstellen Deutschland GmbH", fuel, 2500, 8200},
	{"MCDONALDS", "McDonalds Deutschland LLC", restaurant, 690, 2890},
	{"VAPIANO", "Vapiano SE", restaurant, 1290, 5400},
	{"IKEA DEUTSCHLAND", "IKEA Deutschland GmbH + Co. KG", shopping, 1500, 24900},
	{"H+M", "H + M Hennes + Mauritz B.V. + Co. KG", shopping, 999, 8999},
	{"MEDIAMARKT", "Media-Saturn Deutschland GmbH", shopping, 1999, 39900},
	{"APOTHEKE AM MARKT", "Apotheke am Markt", pharmacy, 495, 3800},
}

var cardMerchants = []merchant{
	{"AMAZON.DE", "Amazon EU S.a.r.l.", online, 799, 12999},
	{"AMZN MKTP DE", "Amazon EU S.a.r.l.", online, 599, 8999},
	{"ZALANDO SE", "Zalando SE", online, 1995, 15990},
	{"BOOKING.COM", "Booking.com B.V.", online, 8900, 62000},
	{"LUFTHANSA", "Deutsche Lufthansa AG", online, 9900, 54900},
	{"DB FERNVERKEHR", "DB Fernverkehr AG", online, 1790, 15900},
	{"APPLE.COM/BILL", "Apple Distribution International", online, 99, 2999},
	{"AIRBNB", "Airbnb Ireland UC", online, 12000, 89000},
	{"LIEFERANDO.DE", "Takeaway.com Group B.V.", online, 1490, 4890},
	{"OTTO GMBH", "Otto GmbH + Co. KG", online, 1499, 19999},
}

// refunders send money back for returned orders.
var refunders = []string{"Zalando SE", "Otto GmbH + Co. KG", "Amazon EU S.a.r.l.", "bonprix Handelsgesellschaft mbH"}

// Direct debit creditors. The creditor identifier of each is derived from
// its name.
const (
	credAllianz   = "Allianz Versicherungs-AG"
	credHUK       = "HUK-COBURG Allgemeine Versicherung AG"
	credTelekom   = "Telekom Deutschland GmbH"
	credVodafone  = "Vodafone GmbH"
	credO2        = "Telefonica Germany GmbH + Co. OHG"
	credBroadcast = "Rundfunk ARD, ZDF, DRadio"
	credGym       = "RSG Group GmbH"
	credTicket    = "DB Vertrieb GmbH"
	spotifyName   = "Spotify AB"
	netflixName   = "Netflix International B.V."
)

// paymentProvider pays out the shop card takings of the "large" scenario's
// persona; it is invented.
const paymentProvider = "Rheinland Payment Services GmbH"

// security is a share or fund the depot can hold. Prices are made up: they
// follow a deterministic random walk from a plausible 2018 level.
type security struct {
	isin, name, market, currency string
	start                        int64 // price in cents of currency on 1 January 2018
	drift                        int64 // expected monthly change in 1/10000
	fund                         bool  // bought in fractions by a savings plan
}

var securities = []security{
	{"IE00B4L5Y983", "iShares Core MSCI World UCITS ETF USD (Acc)", "XETRA", "EUR", 4650, 75, true},
	{"IE00B3RBWM25", "Vanguard FTSE All-World UCITS ETF Distributing", "XETRA", "EUR", 7050, 65, true},
	{"US0378331005", "Apple Inc.", "NASDAQ", "USD", 4300, 150, false},
	{"US5949181045", "Microsoft Corp.", "NASDAQ", "USD", 8600, 140, false},
	{"DE0007164600", "SAP SE", "XETRA", "EUR", 9300, 85, false},
	{"DE0008404005", "Allianz SE", "XETRA", "EUR", 19200, 50, false},
	{"DE0005557508", "Deutsche Telekom AG", "XETRA", "EUR", 1460, 70, false},
	{"DE0007236101", "Siemens AG", "XETRA", "EUR", 10600, 45, false},
}

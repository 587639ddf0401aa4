"""Word banks for the corpus generator: titles, names, services, indicators (French, Dutch).

All bodies and people are fictitious.  The generator picks from these banks with a random
generator seeded by the document's name, so a document is the same at every run.
"""

# Themes: (strategic objective, [(operational objective, [actions…]), …]).  Titles are unique
# across the bank so that any selection has unique titles.
FR_THEMES = [
    ("Garantir un accueil de qualité à chaque usager", [
        ("Simplifier l'accès aux services", [
            "Ouvrir un guichet unique au rez-de-chaussée de l'administration",
            "Publier un guide des démarches en langage clair",
            "Mettre en place la prise de rendez-vous en ligne",
            "Allonger les heures d'ouverture le jeudi soir",
            "Installer une borne d'accueil numérique accompagnée",
        ]),
        ("Améliorer l'accueil téléphonique", [
            "Centraliser les appels entrants sur un numéro unique",
            "Former les agents d'accueil à la gestion des appels difficiles",
            "Mesurer le taux de décroché chaque trimestre",
            "Mettre en place un rappel automatique des usagers",
        ]),
        ("Rendre les bâtiments accessibles à tous", [
            "Réaliser un audit d'accessibilité des sites",
            "Aménager une rampe d'accès à l'antenne sociale",
            "Installer une boucle magnétique aux guichets",
            "Adapter la signalétique aux personnes malvoyantes",
            "Rénover les sanitaires du bâtiment principal",
        ]),
    ]),
    ("Lutter contre la pauvreté et l'exclusion sociale", [
        ("Renforcer l'accompagnement vers l'emploi", [
            "Créer une cellule d'insertion socioprofessionnelle",
            "Conclure des conventions de mise à l'emploi avec les entreprises locales",
            "Organiser un salon de l'emploi annuel",
            "Proposer des ateliers de recherche active d'emploi",
            "Développer les formations qualifiantes en partenariat",
        ]),
        ("Prévenir le surendettement", [
            "Ouvrir une permanence de médiation de dettes",
            "Animer des ateliers de gestion budgétaire",
            "Conclure une convention avec le fournisseur d'eau",
            "Former les assistants sociaux à la guidance budgétaire",
        ]),
        ("Garantir l'accès à l'énergie", [
            "Renforcer la cellule énergie",
            "Distribuer des kits d'économie d'énergie",
            "Accompagner les ménages dans la rénovation de leur logement",
            "Mettre en place un fonds social chauffage local",
        ]),
    ]),
    ("Offrir un logement digne aux personnes fragilisées", [
        ("Développer l'offre de logements d'urgence", [
            "Rénover deux logements d'urgence rue du Moulin",
            "Conclure une convention avec l'agence immobilière sociale",
            "Créer un logement de transit pour familles",
            "Mettre en place une astreinte sociale le week-end",
        ]),
        ("Lutter contre le sans-abrisme", [
            "Ouvrir un abri de nuit hivernal",
            "Recruter un travailleur social de rue",
            "Mettre en place le projet Housing First",
            "Coordonner le relais social intercommunal",
        ]),
        ("Soutenir le maintien à domicile des aînés", [
            "Étendre le service des repas à domicile",
            "Créer un service de petits travaux à domicile",
            "Déployer la téléassistance",
            "Organiser des visites de convivialité",
            "Mettre en place un transport solidaire",
        ]),
    ]),
    ("Être un employeur attractif et bienveillant", [
        ("Améliorer le bien-être au travail", [
            "Réaliser une enquête de satisfaction du personnel",
            "Mettre en place un plan de prévention des risques psychosociaux",
            "Aménager une salle de repos",
            "Organiser une journée du personnel",
        ]),
        ("Développer les compétences des agents", [
            "Élaborer un plan de formation pluriannuel",
            "Mettre en place des entretiens d'évaluation annuels",
            "Créer un parcours d'accueil des nouveaux agents",
            "Instaurer le tutorat entre agents",
            "Ouvrir une plateforme de formation en ligne",
        ]),
        ("Moderniser la gestion des ressources humaines", [
            "Digitaliser les fiches de paie",
            "Actualiser le règlement de travail",
            "Mettre en place le télétravail structurel",
            "Rédiger les descriptions de fonction",
        ]),
    ]),
    ("Moderniser l'administration par le numérique", [
        ("Dématérialiser les dossiers", [
            "Numériser les archives des dossiers sociaux",
            "Déployer la signature électronique",
            "Mettre en place un logiciel de gestion du courrier",
            "Supprimer les formulaires papier internes",
        ]),
        ("Sécuriser le système informatique", [
            "Désigner un délégué à la protection des données",
            "Réaliser un audit de cybersécurité",
            "Mettre en place une sauvegarde externalisée",
            "Sensibiliser le personnel au hameçonnage",
            "Renouveler le parc informatique",
        ]),
        ("Réduire la fracture numérique", [
            "Ouvrir un espace public numérique",
            "Organiser des formations informatiques pour les aînés",
            "Prêter des ordinateurs portables aux étudiants aidés",
            "Former des ambassadeurs numériques",
        ]),
    ]),
    ("Gérer les finances de manière rigoureuse", [
        ("Maîtriser les dépenses de fonctionnement", [
            "Centraliser les achats de fournitures",
            "Renégocier les contrats d'assurance",
            "Réduire la consommation de papier",
            "Mettre en place un tableau de bord financier mensuel",
        ]),
        ("Optimiser les recettes", [
            "Récupérer les avances sur pensions alimentaires",
            "Valoriser le patrimoine immobilier inoccupé",
            "Répondre aux appels à projets subsidiés",
            "Améliorer le recouvrement des créances",
        ]),
        ("Renforcer le contrôle interne", [
            "Cartographier les processus financiers",
            "Rédiger une charte du contrôle interne",
            "Mettre en place un registre des risques",
            "Organiser un audit interne annuel",
        ]),
    ]),
    ("Agir pour le climat et l'environnement", [
        ("Réduire l'empreinte énergétique des bâtiments", [
            "Isoler la toiture du siège administratif",
            "Installer des panneaux photovoltaïques",
            "Remplacer l'éclairage par des luminaires LED",
            "Réaliser un cadastre énergétique du patrimoine",
        ]),
        ("Promouvoir une mobilité douce", [
            "Acquérir des vélos à assistance électrique de service",
            "Installer un parking vélos sécurisé",
            "Électrifier la flotte de véhicules",
            "Mettre en place un plan de déplacements d'entreprise",
        ]),
        ("Réduire et valoriser les déchets", [
            "Installer le tri sélectif dans tous les bureaux",
            "Supprimer la vaisselle jetable",
            "Composter les déchets de la cuisine de la maison de repos",
            "Organiser un repair café trimestriel",
        ]),
    ]),
    ("Renforcer la communication et la participation", [
        ("Mieux informer la population", [
            "Refondre le site internet",
            "Publier un bulletin d'information trimestriel",
            "Créer une page d'information sur les réseaux sociaux",
            "Éditer une brochure des services",
        ]),
        ("Associer les usagers aux décisions", [
            "Créer un comité d'usagers",
            "Organiser des consultations citoyennes annuelles",
            "Mettre en place une boîte à idées",
            "Publier un rapport annuel d'activité",
        ]),
        ("Développer les partenariats locaux", [
            "Conclure une convention avec le centre culturel",
            "Coordonner le réseau des associations sociales",
            "Signer une charte avec les écoles de l'entité",
            "Organiser une rencontre annuelle des partenaires",
        ]),
    ]),
]

# Above strategic objectives, for four-level plans.
FR_AXES = ["Une institution au service de la population", "Une organisation solide et durable",
           "Un territoire solidaire"]

NL_THEMES = [
    ("Een warme en zorgzame gemeente", [
        ("We versterken de eerstelijnszorg", [
            "Oprichten van een sociaal huis",
            "Organiseren van een zorgoverleg met huisartsen",
            "Uitbouwen van een buurtgerichte zorgwerking",
            "Aanstellen van een zorgcoördinator",
            "Inrichten van een onthaalbalie welzijn",
        ]),
        ("We bestrijden kinderarmoede", [
            "Uitbreiden van de vrijetijdspas",
            "Organiseren van een gratis schoolmaaltijd",
            "Ondersteunen van het huiswerkbegeleidingsproject",
            "Opzetten van een kledingbank",
        ]),
        ("We ondersteunen mantelzorgers", [
            "Verhogen van de mantelzorgpremie",
            "Organiseren van een jaarlijkse mantelzorgdag",
            "Opstarten van een lotgenotengroep",
            "Opstarten van een coördinatieoverleg thuiszorg",
            "Uitbouwen van respijtzorg",
        ]),
    ]),
    ("Iedereen woont betaalbaar en kwaliteitsvol", [
        ("We breiden het sociaal woonaanbod uit", [
            "Bouwen van twaalf sociale huurwoningen",
            "Renoveren van de woningen aan de Kerkstraat",
            "Afsluiten van een samenwerking met de woonmaatschappij",
            "Inrichten van twee noodwoningen",
        ]),
        ("We verbeteren de woningkwaliteit", [
            "Invoeren van een conformiteitsattest voor huurwoningen",
            "Toekennen van een renovatiepremie",
            "Opstarten van een energieloket",
            "Aanpakken van leegstaande woningen",
        ]),
        ("We voorkomen dakloosheid", [
            "Organiseren van een preventieve woonbegeleiding",
            "Uitbreiden van de crisisopvang",
            "Afsluiten van een protocol met de vrederechter",
        ]),
    ]),
    ("Een klantgerichte en digitale dienstverlening", [
        ("We maken het loket digitaal", [
            "Invoeren van online afspraken",
            "Lanceren van een digitaal e-loket",
            "Aanbieden van digitale attesten",
            "Vernieuwen van de gemeentelijke website",
        ]),
        ("We bereiken wie digitaal achterblijft", [
            "Openen van een digitaal oefenpunt",
            "Opleiden van digitale buddy's",
            "Uitlenen van laptops aan kwetsbare gezinnen",
        ]),
        ("We communiceren helder", [
            "Herschrijven van brieven in klare taal",
            "Uitgeven van een maandelijks infoblad",
            "Organiseren van een jaarlijkse inwonersbevraging",
            "Inrichten van een centraal klachtenbeheer",
        ]),
    ]),
    ("Een duurzame en klimaatbestendige gemeente", [
        ("We verminderen de uitstoot van het patrimonium", [
            "Isoleren van het administratief centrum",
            "Plaatsen van zonnepanelen op de sporthal",
            "Vervangen van de straatverlichting door ledverlichting",
            "Opmaken van een energieplan voor gemeentelijke gebouwen",
        ]),
        ("We stimuleren duurzame mobiliteit", [
            "Aanleggen van een fietssnelweg naar het station",
            "Invoeren van een schoolstraat",
            "Plaatsen van laadpalen voor elektrische wagens",
            "Aankopen van elektrische dienstfietsen",
        ]),
        ("We vergroenen de dorpskernen", [
            "Ontharden van het marktplein",
            "Aanplanten van duizend bomen",
            "Aanleggen van een speelbos",
            "Ondersteunen van geveltuintjes",
        ]),
    ]),
    ("Een wendbare en financieel gezonde organisatie", [
        ("We investeren in onze medewerkers", [
            "Opmaken van een opleidingsplan",
            "Invoeren van plaats- en tijdsonafhankelijk werken",
            "Uitwerken van een onthaalbeleid voor nieuwe medewerkers",
            "Organiseren van een welzijnsbevraging",
        ]),
        ("We beheren onze middelen zorgvuldig", [
            "Invoeren van een aankoopcentrale",
            "Opvolgen van de financiële nota per kwartaal",
            "Verkopen van overbodig patrimonium",
            "Opmaken van een organisatiebeheersingssysteem",
        ]),
        ("We werken samen over de gemeentegrenzen", [
            "Oprichten van een intergemeentelijke personeelsdienst",
            "Delen van een preventieadviseur met buurgemeenten",
            "Aansluiten bij het regionaal woonbeleid",
        ]),
    ]),
    ("Een levendige gemeente voor jong en oud", [
        ("We ondersteunen het verenigingsleven", [
            "Vernieuwen van het subsidiereglement voor verenigingen",
            "Inrichten van een uitleendienst voor materiaal",
            "Organiseren van een verenigingsbeurs",
        ]),
        ("We investeren in sport en spel", [
            "Renoveren van de sporthal Ter Heide",
            "Aanleggen van een finse piste",
            "Vernieuwen van drie speelpleinen",
            "Organiseren van een sportkamp in de zomer",
        ]),
        ("We maken cultuur toegankelijk", [
            "Uitbreiden van de bibliotheekuren",
            "Organiseren van een zomerfestival",
            "Inrichten van een repetitieruimte voor jongeren",
        ]),
    ]),
]

FR_PEOPLE = ["Marie Lambert", "Julien Dewez", "Sophie Marchal", "Thomas Renard", "Claire Dupont",
             "Nicolas Hanse", "Aline Jacquemin", "Pierre Collignon", "Laura Mertens",
             "Benoît Servais", "Isabelle Thiry", "Karim Benali", "Nathalie Gilson",
             "Olivier Bastin", "Céline Warnier", "Mathieu Delvaux", "Sarah Kabongo",
             "Vincent Lallemand", "Émilie Noël", "François Delhaye"]
NL_PEOPLE = ["An Peeters", "Koen Janssens", "Sofie Maes", "Bart Claes", "Els Wouters",
             "Tom Goossens", "Lies Vermeulen", "Pieter De Smet", "Hanne Willems", "Jef Mertens",
             "Nele Jacobs", "Wim Van den Broeck", "Griet Dumont", "Dries Hermans",
             "Lotte Verstraete", "Stijn Aerts", "Ilse Coppens", "Ruben De Wilde",
             "Zoë Bogaert", "Noël Van Acker", "Anaïs De Brabander"]
FR_SERVICES = ["Service social", "Service des ressources humaines", "Service informatique",
               "Direction financière", "Service travaux", "Service énergie",
               "Service insertion", "Service logement", "Secrétariat général",
               "Service communication", "Service seniors", "Cellule marchés publics"]
NL_SERVICES = ["Dienst Welzijn", "Dienst Personeel", "Dienst ICT", "Financiële dienst",
               "Technische dienst", "Dienst Wonen", "Dienst Communicatie",
               "Dienst Burgerzaken", "Dienst Omgeving", "Dienst Vrije Tijd",
               "Algemeen directeur"]
FR_PARTNERS = ["Forem", "Agence immobilière sociale", "Centre culturel", "SPW Énergie",
               "Maison de l'emploi", "Relais social", "Intercommunale de santé",
               "Croix-Rouge", "Ligue des familles", "Province"]
NL_PARTNERS = ["VDAB", "Woonmaatschappij", "Huis van het Kind", "CAW", "OCMW-vereniging",
               "Lokaal Dienstencentrum", "Vlaamse Overheid", "Welzijnsschakels"]

FR_INDICATORS = [
    ("Nombre de ménages accompagnés", "150"), ("Taux de satisfaction des usagers", "85 %"),
    ("Délai moyen de traitement des dossiers", "20 jours"), ("Nombre de participants", "60"),
    ("Taux de décroché téléphonique", "90 %"), ("Nombre de conventions signées", "5"),
    ("Part des dossiers numérisés", "100 %"), ("Consommation électrique annuelle", "-15 %"),
    ("Nombre d'agents formés", "40"), ("Taux d'absentéisme", "5 %"),
    ("Nombre de logements disponibles", "4"), ("Nombre de mises à l'emploi", "25"),
]
NL_INDICATORS = [
    ("Aantal bereikte gezinnen", "200"), ("Tevredenheid van de burgers", "80 %"),
    ("Gemiddelde wachttijd aan het loket", "10 minuten"), ("Aantal deelnemers", "75"),
    ("Aantal opgeleverde woningen", "12"), ("Aandeel digitale aanvragen", "60 %"),
    ("Daling van het energieverbruik", "20 %"), ("Aantal opgeleide medewerkers", "50"),
    ("Aantal aangeplante bomen", "1000"), ("Aantal verenigingen met subsidie", "35"),
]
FR_STATUS = ["Non commencé", "En cours", "En cours", "Terminé", "Reporté"]
NL_STATUS = ["Niet gestart", "Lopend", "Lopend", "Afgerond", "Uitgesteld"]
FR_FUNDING = ["Budget propre", "Subside régional", "Fonds européens", "Subside fédéral"]
NL_FUNDING = ["Eigen middelen", "Vlaamse subsidie", "Europese middelen"]
FR_RISKS = ["Retard du marché public", "Manque de personnel qualifié",
            "Subside non reconduit", "Résistance au changement", "Dépassement budgétaire"]
FR_DELIVERABLES = ["Cahier des charges", "Rapport d'évaluation", "Procédure écrite",
                   "Tableau de bord", "Plan de communication", "Convention signée"]
FR_REMARKS = ["À revoir avec le DG", "Voir note du 12/03", "Priorité du collège",
              "Lié au budget 2026", "", "", ""]
NL_REMARKS = ["Bespreken op MAT", "Zie nota schepencollege", "Prioriteit", "", "", ""]
ODD = ["ODD 1", "ODD 3", "ODD 7", "ODD 8", "ODD 10", "ODD 11", "ODD 13", "ODD 16"]

# Services and indicators that fit each theme (same order as FR_THEMES / NL_THEMES).
FR_THEME_SERVICES = [
    ["Service accueil", "Secrétariat général", "Service social", "Service travaux"],
    ["Service social", "Service insertion", "Service énergie", "Service médiation de dettes"],
    ["Service logement", "Service seniors", "Service social", "Service travaux"],
    ["Service des ressources humaines", "Secrétariat général", "Conseiller en prévention"],
    ["Service informatique", "Secrétariat général", "Service social"],
    ["Direction financière", "Cellule marchés publics", "Secrétariat général"],
    ["Service travaux", "Service énergie", "Conseiller en environnement"],
    ["Service communication", "Secrétariat général", "Service social"],
]
FR_THEME_INDICATORS = [
    [("Taux de satisfaction des usagers", "85 %"), ("Délai d'attente moyen au guichet",
                                                     "15 minutes"),
     ("Taux de décroché téléphonique", "90 %"), ("Nombre de sites accessibles", "4")],
    [("Nombre de mises à l'emploi", "25"), ("Nombre de ménages accompagnés", "150"),
     ("Nombre de participants aux ateliers", "60"), ("Taux de sortie positive", "40 %")],
    [("Nombre de logements disponibles", "4"), ("Nombre de nuitées d'accueil", "1.200"),
     ("Nombre de repas livrés", "9.000"), ("Taux d'occupation", "90 %")],
    [("Taux d'absentéisme", "5 %"), ("Nombre d'agents formés", "40"),
     ("Taux de satisfaction du personnel", "75 %"), ("Jours de formation par agent", "3")],
    [("Part des dossiers numérisés", "100 %"), ("Nombre d'incidents de sécurité", "0"),
     ("Nombre de personnes formées", "120"), ("Part des courriers électroniques", "80 %")],
    [("Économies réalisées", "50.000 €"), ("Taux de recouvrement des créances", "85 %"),
     ("Nombre de processus cartographiés", "12"), ("Délai de paiement des factures",
                                                    "30 jours")],
    [("Consommation électrique annuelle", "-15 %"), ("Production photovoltaïque annuelle",
                                                     "45.000 kWh"),
     ("Part des véhicules électriques", "50 %"), ("Quantité de déchets résiduels", "-20 %")],
    [("Nombre de visites du site internet", "20.000"), ("Nombre de participants aux "
                                                        "consultations", "150"),
     ("Nombre de conventions signées", "5"), ("Taux de satisfaction des partenaires", "80 %")],
]
NL_THEME_SERVICES = [
    ["Dienst Welzijn", "Sociale dienst", "Lokaal Dienstencentrum"],
    ["Dienst Wonen", "Technische dienst", "Sociale dienst"],
    ["Dienst Burgerzaken", "Dienst ICT", "Dienst Communicatie"],
    ["Dienst Omgeving", "Technische dienst", "Dienst Mobiliteit"],
    ["Dienst Personeel", "Financiële dienst", "Algemeen directeur"],
    ["Dienst Vrije Tijd", "Sportdienst", "Bibliotheek", "Cultuurdienst"],
]
NL_THEME_INDICATORS = [
    [("Aantal bereikte gezinnen", "200"), ("Aantal mantelzorgers met premie", "150"),
     ("Aantal deelnemers", "75"), ("Aandeel kinderen met vrijetijdspas", "60 %")],
    [("Aantal opgeleverde woningen", "12"), ("Aantal conforme huurwoningen", "300"),
     ("Aantal uithuiszettingen", "0"), ("Bezettingsgraad noodwoningen", "90 %")],
    [("Aandeel digitale aanvragen", "60 %"), ("Gemiddelde wachttijd aan het loket",
                                              "10 minuten"),
     ("Tevredenheid van de burgers", "80 %"), ("Aantal opgeleide buddy's", "20")],
    [("Daling van het energieverbruik", "20 %"), ("Aantal aangeplante bomen", "1000"),
     ("Aantal laadpunten", "30"), ("Aandeel fietsverplaatsingen", "25 %")],
    [("Aantal opgeleide medewerkers", "50"), ("Ziekteverzuim", "4 %"),
     ("Aantal gedeelde diensten", "3"), ("Tevredenheid van de medewerkers", "70 %")],
    [("Aantal verenigingen met subsidie", "35"), ("Aantal bezoekers", "5000"),
     ("Aantal deelnemers sportkamp", "120"), ("Aantal uitleningen", "40000")],
]
NL_RISKS = ["Vertraging van de overheidsopdracht", "Tekort aan gekwalificeerd personeel",
            "Subsidie niet verlengd", "Weerstand tegen verandering", "Budgetoverschrijding"]
NL_DELIVERABLES = ["Bestek", "Evaluatierapport", "Schriftelijke procedure", "Dashboard",
                   "Communicatieplan", "Ondertekende overeenkomst"]
FR_COMMENTS = ["En attente de l'accord du conseil", "Lié au plan de cohésion sociale",
               "Report possible selon le budget 2027", "Projet pilote dans un quartier",
               "Coordonné avec la commune"]

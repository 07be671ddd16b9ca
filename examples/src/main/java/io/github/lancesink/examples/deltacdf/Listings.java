package io.github.lancesink.examples.deltacdf;

import java.util.List;
import java.util.Random;

/**
 * The demo's corpus: shop listings a person would recognise, written from templates.
 *
 * <p>Most listings are everyday products ({@link #TYPES}: a brand, a product, two features, a
 * colour and a price). A few are {@link #FEATURED} listings, each the only one of its kind in
 * the shop, with a {@linkplain Featured#query() query} that describes it in other words (no
 * shared product noun). The demo writes a featured listing into the table when it updates or
 * inserts one, and later deletes it, so that a search by meaning has exactly one right answer.
 */
final class Listings {
  private Listings() {}

  /** An everyday product type: ways to name it and features it may have. */
  record Type(List<String> names, List<String> features) {}

  /** A one-of-a-kind listing and a paraphrase that should find it. */
  record Featured(String listing, String query) {}

  static final List<String> BRANDS = List.of("Nordvik", "Acme", "Halden", "Brightway",
      "Kestrel", "Mooncrest", "Tidewell", "Oakmere", "Lumio", "Stratton", "Velora", "Cobalt & Co",
      "Fernhill", "Quillon", "Redstone", "Ashby");

  static final List<String> COLOURS = List.of("black", "white", "slate grey", "navy blue",
      "forest green", "sand beige", "red", "charcoal");

  static final List<Type> TYPES = List.of(
      new Type(List.of("wireless earbuds", "true wireless in-ear headphones"),
          List.of("Bluetooth 5.3", "pocket charging case", "30 hours of battery",
              "active noise cancelling", "sweat resistant")),
      new Type(List.of("over-ear headphones", "studio headphones"),
          List.of("memory-foam ear cushions", "detachable cable", "foldable design",
              "deep bass", "40 mm drivers")),
      new Type(List.of("phone case", "slim smartphone cover"),
          List.of("shock-absorbing corners", "raised camera lip", "MagSafe compatible",
              "matte finish", "fits the latest models")),
      new Type(List.of("USB-C charger", "fast wall charger"),
          List.of("65 W output", "two ports", "foldable plug", "charges a laptop",
              "gallium nitride")),
      new Type(List.of("mechanical keyboard", "compact gaming keyboard"),
          List.of("hot-swappable switches", "RGB backlight", "tenkeyless layout",
              "PBT keycaps", "USB-C cable")),
      new Type(List.of("wireless mouse", "ergonomic mouse"),
          List.of("silent clicks", "adjustable DPI", "rechargeable battery",
              "thumb rest", "works on glass")),
      new Type(List.of("office chair", "ergonomic desk chair"),
          List.of("lumbar support", "adjustable armrests", "breathable mesh back",
              "tilt lock", "smooth-rolling casters")),
      new Type(List.of("LED desk lamp", "reading lamp"),
          List.of("dimmable", "three colour temperatures", "USB charging port",
              "flexible gooseneck", "touch control")),
      new Type(List.of("burr coffee grinder", "electric coffee grinder"),
          List.of("18 grind settings", "stainless steel burrs", "quiet motor",
              "removable hopper", "grinds for espresso")),
      new Type(List.of("chef's knife", "kitchen knife set"),
          List.of("German stainless steel", "full tang", "wooden block", "razor sharp edge",
              "dishwasher safe")),
      new Type(List.of("non-stick frying pan", "skillet"),
          List.of("28 cm", "induction compatible", "PFOA-free coating", "oven safe",
              "glass lid")),
      new Type(List.of("electric kettle", "cordless kettle"),
          List.of("1.7 litres", "rapid boil", "auto shut-off", "keep-warm setting",
              "temperature control")),
      new Type(List.of("countertop blender", "smoothie blender"),
          List.of("1200 W motor", "crushes ice", "BPA-free jug", "six speeds",
              "self-cleaning mode")),
      new Type(List.of("insulated water bottle", "stainless steel bottle"),
          List.of("keeps drinks cold for 24 hours", "leak-proof lid", "750 ml",
              "fits cup holders", "powder-coated")),
      new Type(List.of("yoga mat", "exercise mat"),
          List.of("non-slip surface", "6 mm thick", "carrying strap", "eco-friendly TPE",
              "alignment lines")),
      new Type(List.of("running shoes", "trail running trainers"),
          List.of("cushioned midsole", "breathable mesh upper", "grippy outsole",
              "lightweight", "reflective details")),
      new Type(List.of("rain jacket", "waterproof shell jacket"),
          List.of("taped seams", "packable hood", "breathable membrane", "zipped pockets",
              "adjustable cuffs")),
      new Type(List.of("laptop backpack", "commuter backpack"),
          List.of("padded 15-inch sleeve", "water-resistant fabric", "hidden pocket",
              "luggage strap", "25 litres")),
      new Type(List.of("merino wool socks", "hiking socks"),
          List.of("pack of three", "cushioned heel", "odour resistant", "reinforced toe",
              "breathable")),
      new Type(List.of("polarised sunglasses", "sport sunglasses"),
          List.of("UV400 protection", "lightweight frame", "scratch-resistant lenses",
              "hard case included", "anti-glare")),
      new Type(List.of("analogue wristwatch", "dress watch"),
          List.of("leather strap", "sapphire glass", "water resistant to 50 m",
              "Japanese quartz movement", "date window")),
      new Type(List.of("cotton bath towel set", "bath towels"),
          List.of("six pieces", "600 gsm", "quick drying", "soft and absorbent",
              "machine washable")),
      new Type(List.of("bed sheet set", "fitted sheets"),
          List.of("king size", "400 thread count", "deep pockets", "wrinkle resistant",
              "two pillowcases")),
      new Type(List.of("scented candle", "soy wax candle"),
          List.of("lavender", "50-hour burn time", "glass jar", "cotton wick",
              "vanilla and sandalwood")),
      new Type(List.of("ceramic plant pot", "indoor planter"),
          List.of("drainage hole", "bamboo saucer", "20 cm", "glazed finish",
              "set of two")),
      new Type(List.of("dog leash", "retractable dog lead"),
          List.of("5 metres", "padded handle", "reflective stitching", "one-button brake",
              "for dogs up to 30 kg")),
      new Type(List.of("board game", "family strategy game"),
          List.of("2 to 4 players", "ages 10 and up", "60-minute games",
              "beautifully illustrated", "easy to learn")),
      new Type(List.of("building blocks set", "construction toy"),
          List.of("500 pieces", "compatible with major brands", "storage box",
              "ages 6 and up", "instruction booklet")),
      new Type(List.of("bicycle helmet", "cycling helmet"),
          List.of("MIPS protection", "rear LED light", "adjustable fit dial",
              "18 vents", "lightweight shell")),
      new Type(List.of("adjustable dumbbells", "dumbbell pair"),
          List.of("2 to 24 kg", "quick-change dial", "compact stand", "rubber grip",
              "replaces 15 sets")));

  /** One-of-a-kind listings, each described by its query in other words. */
  static final List<Featured> FEATURED = List.of(
      new Featured("Stargazer 70 mm refractor telescope with an aluminium tripod and two"
          + " eyepieces.",
          "an instrument for stargazing that shows craters on the moon and the rings of Saturn"),
      new Featured("Computerised sewing machine with 60 built-in stitches and an automatic"
          + " needle threader.",
          "a device for stitching fabric to make and mend clothes at home"),
      new Featured("Aquarium starter kit: 60 litre glass fish tank with filter, heater and LED"
          + " lighting.",
          "somewhere at home to keep goldfish and guppies swimming in clean water"),
      new Featured("Beekeeping suit with a ventilated veil and long leather gloves.",
          "protective clothing for looking after honey bee hives"),
      new Featured("Temperature-controlled soldering iron station, 60 W, with spare tips.",
          "a hot tool for joining wires and electronic components with melted metal"),
      new Featured("Electric pressure washer, 135 bar, with a patio cleaner and a foam lance.",
          "a machine that blasts dirt off the terrace and the car with a strong jet of water"),
      new Featured("Cordless leaf blower, 40 V, with two batteries and a fast charger.",
          "a garden tool that sweeps fallen autumn leaves into a pile with a stream of air"),
      new Featured("Metal detector with a waterproof search coil and a pinpointing mode.",
          "a gadget for treasure hunting that beeps when it finds coins buried underground"),
      new Featured("Foam fire extinguisher, 2 litres, with a wall bracket, for home and car.",
          "safety equipment to put out a small blaze in the kitchen"),
      new Featured("Ultrasonic cool-mist humidifier, 4 litres, quiet for bedrooms.",
          "an appliance that adds moisture to dry indoor air while you sleep"),
      new Featured("Two-person camping hammock with tree straps and a mosquito net.",
          "a hanging bed to sleep between two trees outdoors"),
      new Featured("Baby stroller with a reclining seat, a sun canopy and a shopping basket.",
          "a pushchair for taking an infant for a walk"),
      new Featured("Handheld label maker with a QWERTY keyboard and two tape cassettes.",
          "a small printer that makes sticky name tags for folders and shelves"),
      new Featured("Karaoke microphone with a built-in Bluetooth speaker and echo effects.",
          "something to sing along to songs at a party"),
      new Featured("Snow shovel with an ergonomic handle and a wide polypropylene blade.",
          "a tool to clear the path after a winter storm"),
      new Featured("Sourdough bread baking kit: proofing basket, dough scraper and scoring"
          + " lame.",
          "everything to bake a crusty homemade loaf with natural yeast"));

  /** The text of everyday listing {@code id} at revision {@code rev}. */
  static String everyday(long id, int rev) {
    // the product type follows the key, so an edit keeps the kind of product and changes the
    // details, as sellers do
    Type t = TYPES.get((int) Math.floorMod(id, (long) TYPES.size()));
    Random r = new Random(id * 1_000_003L + rev);
    String brand = BRANDS.get(r.nextInt(BRANDS.size()));
    String name = t.names().get(r.nextInt(t.names().size()));
    int f1 = r.nextInt(t.features().size());
    int f2 = (f1 + 1 + r.nextInt(t.features().size() - 1)) % t.features().size();
    String colour = COLOURS.get(r.nextInt(COLOURS.size()));
    int price = 9 + r.nextInt(190);
    return brand + " " + name + ": " + t.features().get(f1) + ", " + t.features().get(f2)
        + ". " + Character.toUpperCase(colour.charAt(0)) + colour.substring(1) + ", $" + price
        + ".";
  }

  /** The index of the featured listing {@code text} is, or -1. */
  static int featuredIndex(String text) {
    for (int i = 0; i < FEATURED.size(); i++) {
      if (FEATURED.get(i).listing().equals(text)) {
        return i;
      }
    }
    return -1;
  }
}

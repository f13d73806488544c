package io.tidings.kda;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * A CloudFormation template read as CloudFormation reads it: the short forms {@code !Ref X}, {@code !Sub ...},
 * {@code !GetAtt A.B} become the long forms {@code {Ref: X}}, {@code {Fn::Sub: ...}}, {@code {Fn::GetAtt: [A, B]}},
 * so a test can tell a reference from a literal.
 */
final class CloudFormationYaml {
    private CloudFormationYaml() {}

    private static final List<String> FUNCTIONS = List.of("Ref", "Sub", "GetAtt", "If", "Equals", "Not", "And", "Or",
            "Condition", "Select", "Split", "Join", "FindInMap", "Base64", "Cidr", "GetAZs", "ImportValue");

    @SuppressWarnings("unchecked")
    static Map<String, Object> load(Path template) throws IOException {
        try (Reader reader = Files.newBufferedReader(template)) {
            return (Map<String, Object>) new Yaml(new ShortForms()).load(reader);
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value, String... path) {
        Object at = value;
        for (String key : path) {
            at = at == null ? null : ((Map<String, Object>) at).get(key);
        }
        return (Map<String, Object>) at;
    }

    private static final class ShortForms extends SafeConstructor {
        ShortForms() {
            super(new LoaderOptions());
            for (String function : FUNCTIONS) {
                yamlConstructors.put(new Tag("!" + function), new LongForm(function));
            }
        }

        private final class LongForm extends AbstractConstruct {
            private final String function;

            LongForm(String function) {
                this.function = function;
            }

            @Override
            public Object construct(Node node) {
                Object argument;
                if (node instanceof ScalarNode scalar) {
                    String text = constructScalar(scalar);
                    argument = function.equals("GetAtt") ? List.of(text.split("\\.", 2)) : text;
                } else if (node instanceof SequenceNode sequence) {
                    argument = constructSequence(sequence);
                } else {
                    argument = constructMapping((MappingNode) node);
                }
                return Map.of(function.equals("Ref") ? "Ref" : "Fn::" + function, argument);
            }
        }
    }
}
